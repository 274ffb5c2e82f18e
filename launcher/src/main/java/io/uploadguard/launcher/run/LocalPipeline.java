package io.uploadguard.launcher.run;

import io.uploadguard.sandbox.client.ClamdServer;
import io.uploadguard.sandbox.client.Quietly;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import io.uploadguard.security.LocalTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole pipeline on loopback: the sandbox, then the signer and the enforcer wired to it, each
 * in its own JVM (so each runs with exactly its production classpath and configuration, and a
 * crash of one is visible as such). Either everything starts or nothing stays running.
 */
public final class LocalPipeline implements AutoCloseable {

    static final String DEMO_USER = "demo";
    static final String SMALL_QUOTA_USER = "demo-small-quota";
    static final String ADMIN_USER = "ops-admin";
    /** The services' HMAC secret goes by environment, never on a command line that {@code ps} shows. */
    static final String SECRET_ENV = "UPLOADGUARD_AUTH_HMACSECRET";
    /**
     * The local backend's webhook, all of it by environment: the secret must not show in {@code ps},
     * and Spring Boot takes a list element's properties from one source only.
     */
    static final String WEBHOOK_ENV = "UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_";

    /**
     * Web apps a developer runs next to ./run-local (a frontend dev server on port 3000 or 5173) may
     * call the signer from the browser: the signer's CORS origins (the sandbox's S3 allows any).
     */
    static final List<String> DEMO_APP_ORIGINS =
            List.of("http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:5173", "http://127.0.0.1:5173");

    /**
     * How to start it.
     *
     * @param appOrigins the signer's CORS origins ({@code uploadguard.cors.allowed-origins})
     */
    public record Options(Path repo, Path workDir, int signerPort, int enforcerPort, List<String> appOrigins) {
        public Options {
            appOrigins = List.copyOf(appOrigins);
        }

        public Options(Path repo, Path workDir, int signerPort, int enforcerPort) {
            this(repo, workDir, signerPort, enforcerPort, DEMO_APP_ORIGINS);
        }

        /** These origins too, e.g. a test's page server. */
        public Options withAppOrigins(List<String> more) {
            List<String> all = new ArrayList<>(appOrigins);
            all.addAll(more);
            return new Options(repo, workDir, signerPort, enforcerPort, all);
        }

        public static Options defaults(Path repo) {
            return new Options(repo, repo.resolve("work"), 8080, 8081);
        }

        /** Services on ports free right now, e.g. a soak or tests next to a running ./run-local. */
        public static Options onFreePorts(Path repo, Path workDir) {
            return new Options(repo, workDir, freePort(), freePort());
        }
    }

    private final List<AutoCloseable> parts;
    private final LocalSettings settings;
    private final ServiceProcess.Launch enforcerLaunch;
    private final BackendReceiver receiver;
    private ServiceProcess enforcer;

    private LocalPipeline(
            List<AutoCloseable> parts,
            LocalSettings settings,
            ServiceProcess.Launch enforcerLaunch,
            BackendReceiver receiver,
            ServiceProcess enforcer) {
        this.parts = parts;
        this.settings = settings;
        this.enforcerLaunch = enforcerLaunch;
        this.receiver = receiver;
        this.enforcer = enforcer;
    }

    /** The largest built-in profile allows 50 MB. */
    private static final long CLAMD_STREAM_MAX_LENGTH = 100L * 1024 * 1024;

    public static LocalPipeline start(Options options) {
        Path signerJar = jar(options.repo().resolve("signer/target"), "uploadguard-signer-");
        Path enforcerJar = jar(options.repo().resolve("enforcer/target"), "uploadguard-enforcer-");
        requireFree(options.signerPort(), "signer", "--signer-port");
        requireFree(options.enforcerPort(), "enforcer", "--enforcer-port");
        System.setProperty(
                SandboxProcess.HOME_PROPERTY,
                options.repo().resolve("infra/sandbox").toString());

        List<AutoCloseable> parts = new ArrayList<>();
        try {
            SandboxProcess sandbox = SandboxProcess.start(options.workDir().resolve("sandbox"), List.of());
            parts.add(0, sandbox);
            SandboxEndpoints endpoints = sandbox.endpoints();
            BackendReceiver receiver = BackendReceiver.start();
            parts.add(0, receiver);

            String secret = randomSecret();
            List<String> common = new ArrayList<>();
            endpoints.springProperties().forEach((name, value) -> common.add("--" + name + "=" + value));
            common.add("--uploadguard.quota.users[" + SMALL_QUOTA_USER + "].max-objects=2");
            // Spring Boot binds UPLOADGUARD_AUTH_HMACSECRET to uploadguard.auth.hmac-secret (issue 12)
            Map<String, String> env = Map.of(SECRET_ENV, secret);
            Path logs = options.workDir().resolve("logs");

            List<String> signerArgs = new ArrayList<>(common);
            signerArgs.add("--uploadguard.cors.allowed-origins=" + String.join(",", options.appOrigins()));
            ServiceProcess signer = ServiceProcess.start(
                    "signer", new ServiceProcess.Launch(signerJar, signerArgs, env, logs), options.signerPort());
            List<String> enforcerArgs = new ArrayList<>(withScanner(common, parts));
            enforcerArgs.add("--uploadguard.notifications.allow-http=true");
            Map<String, String> enforcerEnv = Map.of(
                    SECRET_ENV,
                    secret,
                    WEBHOOK_ENV + "NAME",
                    "local-backend",
                    WEBHOOK_ENV + "URL",
                    receiver.hookUrl(),
                    WEBHOOK_ENV + "SECRETS_0",
                    receiver.secret());
            ServiceProcess.Launch enforcerLaunch =
                    new ServiceProcess.Launch(enforcerJar, enforcerArgs, enforcerEnv, logs);
            parts.add(0, signer);
            ServiceProcess enforcer = ServiceProcess.start("enforcer", enforcerLaunch, options.enforcerPort());
            parts.add(0, enforcer);
            awaitBoth(signer, enforcer);

            Duration validity = Duration.ofHours(12);
            String demoToken = LocalTokens.mint(secret, DEMO_USER, validity);
            LocalSettings settings = new LocalSettings(
                    signer.url(),
                    enforcer.url(),
                    receiver.url(),
                    signer.url() + "/#token=" + demoToken,
                    endpoints.s3Endpoint(),
                    endpoints.bucket(),
                    DEMO_USER,
                    demoToken,
                    SMALL_QUOTA_USER,
                    LocalTokens.mint(secret, SMALL_QUOTA_USER, validity),
                    LocalTokens.mint(secret, ADMIN_USER, validity, Map.of("roles", List.of("uploadguard-admin"))),
                    secret);
            settings.writeTo(options.workDir().resolve("local.json"));
            return new LocalPipeline(parts, settings, enforcerLaunch, receiver, enforcer);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e instanceof LaunchException ? e : new LaunchException(e.getMessage());
        }
    }

    /**
     * A real clamd (issue 18) where Debian's clamav-daemon is installed, with the test signature
     * database (EICAR and the project's marker): every profile's objects are then scanned.
     */
    private static List<String> withScanner(List<String> args, List<AutoCloseable> parts) {
        if (ClamdServer.unavailableReason().isPresent()) {
            System.out.println("note: uploads are not scanned: "
                    + ClamdServer.unavailableReason().get());
            return args;
        }
        ClamdServer clamd = ClamdServer.start(CLAMD_STREAM_MAX_LENGTH);
        parts.add(0, clamd);
        List<String> withScanner = new ArrayList<>(args);
        withScanner.add("--uploadguard.scanner.clamd.host=" + clamd.host());
        withScanner.add("--uploadguard.scanner.clamd.port=" + clamd.port());
        withScanner.add("--uploadguard.scanner.clamd.stream-max-length=" + CLAMD_STREAM_MAX_LENGTH + "B");
        return withScanner;
    }

    public LocalSettings settings() {
        return settings;
    }

    /** The local backend that the enforcer's webhooks reach. */
    public BackendReceiver receiver() {
        return receiver;
    }

    /** Fault tests: the enforcer killed with SIGKILL, as a crashed host would leave it: no shutdown at all. */
    public synchronized void killEnforcerHard() {
        enforcer.kill();
    }

    /** Starts the enforcer again on its port after {@link #killEnforcerHard()}. */
    public synchronized void restartEnforcer() {
        int port = Integer.parseInt(
                settings.enforcerUrl().substring(settings.enforcerUrl().lastIndexOf(':') + 1));
        parts.remove(enforcer);
        enforcer = ServiceProcess.start("enforcer", enforcerLaunch, port);
        parts.add(0, enforcer);
        enforcer.awaitReady(Duration.ofSeconds(120));
    }

    /** Fault tests: one more enforcer instance on the same queue and ledger. */
    synchronized ServiceProcess startExtraEnforcer(int port) {
        ServiceProcess extra = ServiceProcess.start("enforcer-" + port, enforcerLaunch, port);
        parts.add(0, extra);
        extra.awaitReady(Duration.ofSeconds(120));
        return extra;
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void awaitBoth(ServiceProcess signer, ServiceProcess enforcer) {
        Duration timeout = Duration.ofSeconds(120);
        try {
            CompletableFuture.allOf(
                            CompletableFuture.runAsync(() -> signer.awaitReady(timeout)),
                            CompletableFuture.runAsync(() -> enforcer.awaitReady(timeout)))
                    .join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void closeAll(List<AutoCloseable> parts) {
        // services first, then the sandbox they depend on; they stop in parallel to save time
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (AutoCloseable part : parts) {
            if (part instanceof ServiceProcess) {
                stopping.add(CompletableFuture.runAsync(() -> Quietly.close(part, LocalPipeline::stopFailed)));
            }
        }
        stopping.forEach(CompletableFuture::join);
        for (AutoCloseable part : parts) {
            if (!(part instanceof ServiceProcess)) {
                Quietly.close(part, LocalPipeline::stopFailed);
            }
        }
        parts.clear();
    }

    private static void stopFailed(Exception e) {
        System.err.println("while stopping: " + e);
    }

    private static Path jar(Path dir, String prefix) {
        if (Files.isDirectory(dir)) {
            // the runnable Boot jar is "-exec" where the module also publishes a plain jar
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, prefix + "*-exec.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            } catch (IOException e) {
                throw new LaunchException("cannot look for " + prefix + "*.jar in " + dir + ": " + e.getMessage());
            }
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, prefix + "*.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            } catch (IOException e) {
                throw new LaunchException("cannot look for " + prefix + "*.jar in " + dir + ": " + e.getMessage());
            }
        }
        throw new LaunchException("no " + prefix + "*.jar in " + dir + ": build first (./run-local does)");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LaunchException("cannot find a free port: " + e.getMessage());
        }
    }

    private static void requireFree(int port, String what, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new LaunchException(
                    "port " + port + " for the " + what + " is taken; stop what uses it or pass " + option + " N");
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
