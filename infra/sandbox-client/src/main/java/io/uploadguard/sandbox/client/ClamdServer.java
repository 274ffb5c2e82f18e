package io.uploadguard.sandbox.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real clamd (Debian's {@code clamav-daemon}) for tests, the benchmark and the local run, on a
 * free loopback port, with a signature database written at start: nothing is downloaded. The
 * database knows the EICAR test file (whole, and inside any other file) and {@link #TEST_MARKER},
 * a string the project's tests put in files of their own.
 *
 * <p>Runs as the current user (root here is fine: clamd drops privileges only with {@code User}).
 */
public final class ClamdServer implements AutoCloseable {

    /** The EICAR anti-virus test file: 68 bytes every scanner reports, harmless. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    /** Found by the database written here wherever it occurs in a file. */
    public static final String TEST_MARKER = "UPLOADGUARD-SCANNER-TEST-MARKER-9f2c41d7";
    /** What clamd reports for EICAR inside another file (an unofficial database's names get the suffix). */
    public static final String EICAR_SIGNATURE = "UploadGuard.Test.EICAR.UNOFFICIAL";

    public static final String MARKER_SIGNATURE = "UploadGuard.Test.Marker.UNOFFICIAL";

    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/clamd"), Path.of("/usr/bin/clamd"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path home;
    private final int port;
    private Process process;

    private ClamdServer(Path binary, Path home, int port) {
        this.binary = binary;
        this.home = home;
        this.port = port;
    }

    /** The clamd binary, if {@code clamav-daemon} is installed. */
    public static Optional<Path> binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst();
    }

    /** Why clamd cannot be started here, or empty if it can: for test assumptions. */
    public static Optional<String> unavailableReason() {
        return binary().isPresent()
                ? Optional.empty()
                : Optional.of("clamd is not installed (Debian package clamav-daemon; .ci/run installs it)");
    }

    /**
     * Starts clamd and waits until it answers PING.
     *
     * @param streamMaxLength clamd's StreamMaxLength; its scan and file limits are set to the same
     */
    public static ClamdServer start(long streamMaxLength) {
        Path binary = binary().orElseThrow(
                        () -> new IllegalStateException(unavailableReason().orElseThrow()));
        try {
            Path home = Files.createTempDirectory("uploadguard-clamd");
            var server = new ClamdServer(binary, home, freePort());
            server.writeDatabase();
            server.writeConfig(streamMaxLength);
            server.startProcess();
            // a clamd left running by a test JVM that ended without close() would hold its port
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "clamd-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A config file for {@code clamdscan --config-file} that talks to this clamd. */
    public Path clamdscanConfig() {
        return home.resolve("clamdscan.conf");
    }

    /** Stops clamd (SIGTERM), as an outage would; {@link #restart()} brings it back on the same port. */
    public void stop() {
        if (process != null) {
            ChildProcesses.terminate(process, Duration.ofSeconds(10));
        }
    }

    public void restart() {
        stop();
        startProcess();
    }

    public boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(4), StandardCharsets.US_ASCII).equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is not worth failing a test run for
        }
    }

    private void writeDatabase() throws IOException {
        Path db = Files.createDirectories(home.resolve("db"));
        byte[] eicar = EICAR.getBytes(StandardCharsets.US_ASCII);
        // .hdb: the whole file by MD5 and size; .ndb: a body signature, found inside any file
        Files.writeString(
                db.resolve("uploadguard-test.hdb"), md5(eicar) + ":" + eicar.length + ":UploadGuard.Test.EICAR.File\n");
        Files.writeString(
                db.resolve("uploadguard-test.ndb"),
                "UploadGuard.Test.EICAR:0:*:" + HexFormat.of().formatHex(eicar) + "\n"
                        + "UploadGuard.Test.Marker:0:*:"
                        + HexFormat.of().formatHex(TEST_MARKER.getBytes(StandardCharsets.US_ASCII)) + "\n");
    }

    private void writeConfig(long streamMaxLength) throws IOException {
        Files.writeString(
                home.resolve("clamd.conf"),
                String.join(
                        "\n",
                        "Foreground yes",
                        "TCPSocket " + port,
                        "TCPAddr 127.0.0.1",
                        "DatabaseDirectory " + home.resolve("db"),
                        "TemporaryDirectory " + home,
                        "StreamMaxLength " + streamMaxLength,
                        "MaxScanSize " + streamMaxLength,
                        "MaxFileSize " + streamMaxLength,
                        "MaxRecursion 8",
                        "MaxScanTime 30000",
                        // past a limit clamd reports Heuristics.Limits.Exceeded instead of a silent OK
                        "AlertExceedsMax yes",
                        "SelfCheck 0",
                        ""));
        Files.writeString(clamdscanConfig(), "TCPSocket " + port + "\nTCPAddr 127.0.0.1\n");
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(binary.toString(), "--config-file=" + home.resolve("clamd.conf"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            home.resolve("clamd.log").toFile()))
                    .start();
            awaitPong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPong() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (ping()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("clamd exited with code " + process.exitValue() + "; its log:\n"
                        + Files.readString(home.resolve("clamd.log")));
            }
            try {
                // waiting on a child process we do not own: no event to block on but its exit
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while clamd started", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("clamd did not answer PING within " + START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
