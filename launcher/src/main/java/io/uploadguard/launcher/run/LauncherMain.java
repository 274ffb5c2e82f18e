package io.uploadguard.launcher.run;

import io.uploadguard.sandbox.client.CommandLines;
import io.uploadguard.sandbox.client.UntilStopped;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./run-local}: starts the pipeline, prints one ready line and what to try, then runs until
 * Ctrl-C or SIGTERM, which stop every part. Needs no terminal (stdin is never read).
 */
public final class LauncherMain {

    public static final String READY_PREFIX = "UPLOADGUARD READY";
    public static final String REPO_PROPERTY = "uploadguard.repo";

    private LauncherMain() {}

    public static void main(String[] args) {
        long started = System.nanoTime();
        LocalPipeline.Options options = CommandLines.parseOrExit(out -> parse(args, out));
        System.out.println("starting the sandbox, the signer and the enforcer (logs in "
                + options.workDir().resolve("logs") + ")...");
        LocalPipeline pipeline = UntilStopped.startOrExit(
                () -> LocalPipeline.start(options), LaunchException.class, "UploadGuard did not start");
        UntilStopped stopped = UntilStopped.onShutdown("uploadguard-stop", () -> {
            System.out.println("stopping...");
            pipeline.close();
            System.out.println("stopped");
        });

        LocalSettings s = pipeline.settings();
        System.out.println(String.format(
                Locale.ROOT,
                "%s in %.1f s: page=%s signer=%s enforcer=%s receiver=%s s3=%s bucket=%s user=%s",
                READY_PREFIX,
                (System.nanoTime() - started) / 1e9,
                s.signerUrl() + "/",
                s.signerUrl(),
                s.enforcerUrl(),
                s.receiverUrl(),
                s.s3Endpoint(),
                s.bucket(),
                s.demoUser()));
        System.out.println(instructions(s));
        System.out.flush();
        // after the instructions, so the ready line and the help are not interleaved with events
        pipeline.receiver().printTo(System.out::println);
        stopped.await();
    }

    static String instructions(LocalSettings s) {
        return """

                Try it (the token is the demo user's, valid for 12 hours):

                  Upload page:   %s
                  export TOKEN=%s

                  # ask for an upload URL
                  curl -s -X POST %s/uploads -H "Authorization: Bearer $TOKEN" \\
                       -H 'Content-Type: application/json' -d '{"profile":"avatar","contentType":"image/png","size":67}'
                  # sign, upload with the returned headers, and wait for the verdict, in one go
                  ./uploadguard upload docs/samples/pixel.png
                  ./uploadguard upload docs/samples/disguised.png     # HTML posing as a PNG: quarantined
                  ./uploadguard status <uploadId>
                  # the whole story, step by step
                  ./uploadguard demo
                  # what the backend was told (signed webhooks, verified by the local receiver)
                  curl -s '%s/events?uploadId=<uploadId>'
                  # the metrics
                  curl -s %s/actuator/prometheus | grep uploadguard_signing_requests_total
                  curl -s %s/actuator/prometheus | grep uploadguard_verdicts_total

                Settings for scripts: work/local.json. Logs: work/logs/. Notifications print below as they
                arrive. Ctrl-C stops everything.
                """.formatted(
                        s.pageUrl(), s.demoToken(), s.signerUrl(), s.receiverUrl(), s.signerUrl(), s.enforcerUrl());
    }

    /** Empty when {@code --help} was asked for (the usage is then printed). */
    static Optional<LocalPipeline.Options> parse(String[] args, PrintWriter out) {
        Path repo =
                Path.of(System.getProperty(REPO_PROPERTY, ".")).toAbsolutePath().normalize();
        RunLocalOptions options = new RunLocalOptions(LocalPipeline.Options.defaults(repo));
        if (!CommandLines.parse(options, args, out)) {
            return Optional.empty();
        }
        return Optional.of(options.toOptions(repo));
    }

    @Command(
            name = "run-local",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            version = "UploadGuard local launcher",
            description = "Runs the sandbox, the signer and the enforcer on loopback until Ctrl-C.")
    static final class RunLocalOptions {

        @Option(
                names = "--signer-port",
                paramLabel = "N",
                converter = CommandLines.Port.class,
                description = "the signer and the upload page (${DEFAULT-VALUE})")
        int signerPort;

        @Option(
                names = "--enforcer-port",
                paramLabel = "N",
                converter = CommandLines.Port.class,
                description = "the enforcer's metrics and admin API (${DEFAULT-VALUE})")
        int enforcerPort;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "logs, sandbox state and local.json (work)")
        Path workDir;

        RunLocalOptions(LocalPipeline.Options defaults) {
            signerPort = defaults.signerPort();
            enforcerPort = defaults.enforcerPort();
            workDir = defaults.workDir();
        }

        LocalPipeline.Options toOptions(Path repo) {
            if (signerPort == 0 || enforcerPort == 0) {
                throw new IllegalArgumentException("the services need fixed ports: 0 is not one (1 to 65535)");
            }
            return new LocalPipeline.Options(repo, workDir.toAbsolutePath(), signerPort, enforcerPort);
        }
    }
}
