package io.uploadguard.launcher.run;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

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
        LocalPipeline.Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        System.out.println("starting the sandbox, the signer and the enforcer (logs in "
                + options.workDir().resolve("logs") + ")...");
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.start(options);
        } catch (LaunchException e) {
            System.err.println("UploadGuard did not start: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("stopping...");
                            pipeline.close();
                            System.out.println("stopped");
                            stopped.countDown();
                        },
                        "uploadguard-stop"));

        LocalSettings s = pipeline.settings();
        System.out.println(String.format(
                Locale.ROOT,
                "%s in %.1f s: page=%s signer=%s enforcer=%s s3=%s bucket=%s user=%s",
                READY_PREFIX,
                (System.nanoTime() - started) / 1e9,
                s.signerUrl() + "/",
                s.signerUrl(),
                s.enforcerUrl(),
                s.s3Endpoint(),
                s.bucket(),
                s.demoUser()));
        System.out.println(instructions(s));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                  # the metrics
                  curl -s %s/actuator/prometheus | grep uploadguard_signing_requests_total
                  curl -s %s/actuator/prometheus | grep uploadguard_verdicts_total

                Settings for scripts: work/local.json. Logs: work/logs/. Ctrl-C stops everything.
                """.formatted(s.pageUrl(), s.demoToken(), s.signerUrl(), s.signerUrl(), s.enforcerUrl());
    }

    static LocalPipeline.Options parse(String[] args) {
        Path repo =
                Path.of(System.getProperty(REPO_PROPERTY, ".")).toAbsolutePath().normalize();
        LocalPipeline.Options d = LocalPipeline.Options.defaults(repo);
        Path workDir = d.workDir();
        int signerPort = d.signerPort();
        int enforcerPort = d.enforcerPort();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--signer-port" -> signerPort = port(option, value);
                case "--enforcer-port" -> enforcerPort = port(option, value);
                case "--work-dir" -> workDir = Path.of(value).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new LocalPipeline.Options(repo, workDir, signerPort, enforcerPort);
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port between 1 and 65535, not " + value);
        }
    }

    private static final String USAGE = """
            usage: ./run-local [--signer-port N] [--enforcer-port N] [--work-dir DIR]
              --signer-port N    the signer and the upload page (8080)
              --enforcer-port N  the enforcer's metrics and admin API (8081)
              --work-dir DIR     logs, sandbox state and local.json (work)
            """;
}
