package io.uploadguard.sandbox.client;

import java.nio.file.Path;
import java.util.List;

/**
 * The sandbox a test run shares. {@link SandboxExtension} keeps it in JUnit's root store, which
 * closes it when the run ends. The one static reference lets {@link SandboxProcess#shared()} (for
 * static contexts such as Spring's {@code @DynamicPropertySource}) find the same sandbox instead of
 * starting a second one; a sandbox started only that way stops with the JVM, because the child
 * stops itself when its standard input closes.
 */
final class SharedSandbox implements AutoCloseable {

    private static SharedSandbox current;

    /** Null when the sandbox is one that was already running ({@link SandboxProcess#ENDPOINTS_ENV}). */
    private final SandboxProcess process;

    private final SandboxEndpoints endpoints;

    private SharedSandbox(SandboxProcess process, SandboxEndpoints endpoints) {
        this.process = process;
        this.endpoints = endpoints;
    }

    static synchronized SharedSandbox startOrJoin() {
        if (current == null) {
            current = SandboxProcess.running()
                    .map(running -> new SharedSandbox(null, running))
                    .orElseGet(SharedSandbox::start);
        }
        return current;
    }

    private static SharedSandbox start() {
        String args = System.getProperty(SandboxProcess.ARGS_PROPERTY, "").strip();
        SandboxProcess process = SandboxProcess.start(
                Path.of("target", "sandbox-" + ProcessHandle.current().pid()),
                args.isEmpty() ? List.of() : List.of(args.split("\\s+")));
        return new SharedSandbox(process, process.endpoints());
    }

    SandboxEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        synchronized (SharedSandbox.class) {
            if (current == this) {
                current = null;
            }
        }
        if (process != null) {
            process.close();
        }
    }
}
