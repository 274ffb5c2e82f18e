package io.uploadguard.sandbox;

import io.uploadguard.sandbox.client.CommandLines;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.UntilStopped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs the sandbox until SIGTERM or Ctrl-C. Prints one ready line with every endpoint and writes the
 * same to the endpoints file; a failed start prints why and exits with status 2.
 */
public final class SandboxMain {

    /** The ready line starts with this, for scripts that wait for it. */
    public static final String READY_PREFIX = "UPLOADGUARD SANDBOX READY";

    private SandboxMain() {}

    public static void main(String[] args) {
        SandboxConfig config = CommandLines.parseOrExit(out -> SandboxConfig.fromArgs(args, System.getenv(), out));
        Sandbox sandbox = UntilStopped.startOrExit(
                () -> Sandbox.start(config), SandboxStartException.class, "sandbox failed to start");
        Path endpointsFile = config.endpointsFileOrDefault().toAbsolutePath();
        UntilStopped stopped = UntilStopped.onShutdown("sandbox-stop", () -> {
            sandbox.close();
            try {
                Files.deleteIfExists(endpointsFile);
            } catch (IOException ignored) {
                // a stale file is harmless: the next start overwrites it
            }
            System.out.println("sandbox stopped");
        });

        sandbox.endpoints().writeTo(endpointsFile);
        System.out.println(readyLine(sandbox.endpoints(), sandbox.startupTime().toMillis(), endpointsFile));
        System.out.flush();

        if (config.exitWhenStdinCloses()) {
            Thread watcher = new Thread(
                    () -> {
                        try (InputStream in = System.in) {
                            while (in.read() >= 0) {
                                // the parent sends nothing; we only wait for the pipe to close
                            }
                        } catch (IOException ignored) {
                            // a broken pipe means the same as end of input
                        }
                        System.exit(0);
                    },
                    "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    static String readyLine(SandboxEndpoints e, long startupMillis, Path endpointsFile) {
        return String.format(
                Locale.ROOT,
                "%s in %.1f s: s3=%s sqs=%s bucket=%s queue=%s dlq=%s jdbc=%s db-user=%s db-password=%s "
                        + "region=%s access-key=%s secret-key=%s endpoints-file=%s",
                READY_PREFIX,
                startupMillis / 1000.0,
                e.s3Endpoint(),
                e.sqsEndpoint(),
                e.bucket(),
                e.eventsQueueUrl(),
                e.deadLetterQueueUrl(),
                e.jdbcUrl(),
                e.dbUser(),
                e.dbPassword(),
                e.region(),
                e.accessKey(),
                e.secretKey(),
                endpointsFile);
    }
}
