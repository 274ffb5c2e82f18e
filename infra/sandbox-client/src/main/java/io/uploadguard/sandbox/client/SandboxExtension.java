package io.uploadguard.sandbox.client;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running sandbox: one per test JVM, started on first use and stopped when the JVM's
 * tests are done. Reuses the sandbox named by {@link SandboxProcess#ENDPOINTS_ENV} if set.
 *
 * <p>Use with {@code @ExtendWith(SandboxExtension.class)} and a {@link SandboxEndpoints} parameter
 * on a constructor, a lifecycle method or a test.
 */
public final class SandboxExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SandboxExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SandboxEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return endpoints(context);
    }

    /** The shared sandbox's endpoints, starting it if this JVM has none yet. */
    public static SandboxEndpoints endpoints(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(SharedSandbox.class, key -> SharedSandbox.start(), SharedSandbox.class)
                .endpoints();
    }

    /** Closed by JUnit when the root context closes, i.e. after the JVM's last test. */
    private record SharedSandbox(SandboxEndpoints endpoints, SandboxProcess process) implements AutoCloseable {

        static SharedSandbox start() {
            var running = SandboxProcess.running();
            if (running.isPresent()) {
                return new SharedSandbox(running.get(), null);
            }
            Path workDir = Path.of("target", "sandbox-" + ProcessHandle.current().pid());
            SandboxProcess process = SandboxProcess.start(workDir, List.of());
            return new SharedSandbox(process.endpoints(), process);
        }

        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }
}
