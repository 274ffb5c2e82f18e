package io.uploadguard.sandbox.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the sandbox as a child JVM and waits until it has written its endpoints file.
 *
 * <p>A separate process keeps S3Proxy's Jetty and Jackson 3 off the caller's classpath (they change
 * which SQS message converter Spring Cloud AWS picks) and lets tests stop and restart the real
 * servers. The child watches its standard input: when this JVM dies, even by {@code kill -9}, the
 * pipe closes and the sandbox stops itself, so no stray servers outlive a test run.
 */
public final class SandboxProcess implements AutoCloseable {

    /** System property naming the sandbox module folder (holding {@code target/sandbox.classpath}). */
    public static final String HOME_PROPERTY = "uploadguard.sandbox.home";
    /** Environment variable naming the endpoints file of an already running sandbox to reuse. */
    public static final String ENDPOINTS_ENV = "UPLOADGUARD_SANDBOX_ENDPOINTS";
    /** System property with extra sandbox options for {@link #shared()}, e.g. a short visibility timeout. */
    public static final String ARGS_PROPERTY = "uploadguard.sandbox.args";

    private static final String MAIN_CLASS = "io.uploadguard.sandbox.SandboxMain";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final SandboxEndpoints endpoints;
    private final Path logFile;

    private SandboxProcess(Process process, SandboxEndpoints endpoints, Path logFile) {
        this.process = process;
        this.endpoints = endpoints;
        this.logFile = logFile;
    }

    /**
     * Starts a sandbox from the module folder given by {@link #HOME_PROPERTY}.
     *
     * @param workDir where the sandbox keeps its endpoints file and log
     * @param extraArgs further command-line options for the sandbox main
     */
    public static SandboxProcess start(Path workDir, List<String> extraArgs) {
        Path home = sandboxHome();
        Path classpathFile = home.resolve("target/sandbox.classpath");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("no " + classpathFile
                    + ": build the sandbox module first (./mvnw -pl infra/sandbox -am package -DskipTests)");
        }
        try {
            Files.createDirectories(workDir);
            Path endpointsFile = workDir.resolve("sandbox-endpoints.json");
            Files.deleteIfExists(endpointsFile);
            Path log = workDir.resolve("sandbox.log");
            String classpath = home.resolve("target/classes")
                    + java.io.File.pathSeparator
                    + Files.readString(classpathFile).strip();

            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.add("-Xmx512m");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-cp");
            command.add(classpath);
            command.add(MAIN_CLASS);
            command.add("--endpoints-file");
            command.add(endpointsFile.toString());
            command.add("--work-dir");
            command.add(workDir.toString());
            command.add("--exit-when-stdin-closes");
            command.addAll(extraArgs);

            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            SandboxEndpoints endpoints = awaitEndpoints(process, endpointsFile, log);
            return new SandboxProcess(process, endpoints, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox", e);
        }
    }

    /**
     * The test run's shared sandbox, for static contexts that have no JUnit {@code ExtensionContext}
     * (e.g. Spring's {@code @DynamicPropertySource}). Reuses the sandbox named by
     * {@link #ENDPOINTS_ENV} if set.
     *
     * @deprecated use {@code @ExtendWith(SandboxExtension.class)} with a {@link SandboxEndpoints}
     *     parameter, or {@link SandboxExtension#endpoints}: the extension stops the sandbox when the
     *     run ends; one started only from here stops when the JVM exits.
     */
    @Deprecated
    public static SandboxEndpoints shared() {
        return SharedSandbox.startOrJoin().endpoints();
    }

    /** The endpoints of an already running sandbox, when {@link #ENDPOINTS_ENV} names its file. */
    public static Optional<SandboxEndpoints> running() {
        String file = System.getenv(ENDPOINTS_ENV);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(SandboxEndpoints.readFrom(Path.of(file)));
    }

    public SandboxEndpoints endpoints() {
        return endpoints;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the sandbox the way Ctrl-C would (SIGTERM), then forcibly if it hangs. */
    @Override
    public void close() {
        ChildProcesses.terminate(process, Duration.ofSeconds(30));
    }

    private static SandboxEndpoints awaitEndpoints(Process process, Path endpointsFile, Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(endpointsFile)) {
                return SandboxEndpoints.readFrom(endpointsFile);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the sandbox exited with code " + process.exitValue()
                        + " before it was ready; its log " + log + " ends with:\n" + tail(log));
            }
            try {
                // waiting on a child process we do not own: no event to block on but its exit
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the sandbox started", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(
                "the sandbox was not ready within " + START_TIMEOUT + "; its log " + log + " ends with:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Path sandboxHome() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException(
                    "system property " + HOME_PROPERTY + " is not set; the parent pom sets it for tests run by Maven");
        }
        return Path.of(home);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
