package io.uploadguard.sandbox.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the child JVMs this project starts (the sandbox, and the services the launcher runs). */
public final class ChildProcesses {

    private ChildProcesses() {}

    /**
     * SIGTERM, so the child shuts down the way Ctrl-C would; SIGKILL if it is still running after
     * {@code grace}. Returns when the process is gone (or after a further 10 s).
     */
    public static void terminate(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
