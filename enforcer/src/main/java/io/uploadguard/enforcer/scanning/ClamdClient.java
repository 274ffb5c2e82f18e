package io.uploadguard.enforcer.scanning;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * clamd's TCP protocol, the few commands we use: {@code zPING} and {@code zINSTREAM}. The Java
 * clients on Maven Central are unmaintained or pull in a Kotlin runtime for these forty lines.
 *
 * <p>INSTREAM: the command, then chunks each preceded by its length as 4 bytes big-endian, then a
 * zero length; clamd answers {@code stream: OK}, {@code stream: <name> FOUND} or {@code <why>
 * ERROR}, ended by a NUL (the {@code z} prefix).
 */
final class ClamdClient {

    static final int CHUNK = 64 * 1024;
    private static final int MAX_REPLY = 4096;
    private static final String LIMITS_EXCEEDED = "Heuristics.Limits.Exceeded";

    private final ScannerProperties.Clamd settings;

    ClamdClient(ScannerProperties.Clamd settings) {
        this.settings = settings;
    }

    String address() {
        return settings.host() + ":" + settings.port();
    }

    /** Whether clamd answers PING with PONG within the timeouts. */
    boolean ping() {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            return "PONG".equals(readReply(socket.getInputStream()));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Streams {@code content} to clamd in fixed chunks (never more than one chunk in memory) and reads
     * its verdict. Reading {@code content} may throw; that propagates.
     */
    ScanResult instream(InputStream content) throws IOException {
        try (Socket socket = connect()) {
            // each length goes out with its chunk: a 4-byte write alone waits for a delayed ACK (Nagle)
            var out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), CHUNK + 4));
            byte[] chunk = new byte[CHUNK];
            try {
                out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
                int n;
                while ((n = content.readNBytes(chunk, 0, CHUNK)) > 0) {
                    out.writeInt(n);
                    out.write(chunk, 0, n);
                }
                out.writeInt(0);
                out.flush();
            } catch (IOException e) {
                // clamd closes the connection when the stream passes its StreamMaxLength, after
                // saying why: read that before calling it a broken connection
                return tryReadReply(socket).map(ClamdClient::parse).orElseThrow(() -> e);
            }
            return parse(readReply(socket.getInputStream()));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(
                    new InetSocketAddress(settings.host(), settings.port()),
                    Math.toIntExact(settings.connectTimeout().toMillis()));
            socket.setSoTimeout(Math.toIntExact(settings.timeout().toMillis()));
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Optional<String> tryReadReply(Socket socket) {
        try {
            String reply = readReply(socket.getInputStream());
            return reply.isEmpty() ? Optional.empty() : Optional.of(reply);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Up to the NUL that ends a {@code z} reply, or the end of the stream. */
    private static String readReply(InputStream in) throws IOException {
        var reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0 && reply.size() < MAX_REPLY) {
            reply.write(b);
        }
        return reply.toString(StandardCharsets.US_ASCII).strip();
    }

    static ScanResult parse(String reply) {
        if (reply.endsWith("ERROR")) {
            String why = reply.substring(0, reply.length() - "ERROR".length()).strip();
            boolean overLimit = why.contains("size limit exceeded");
            return new ScanResult.CouldNotScan("clamd: " + why, !overLimit);
        }
        if (reply.equals("stream: OK")) {
            return new ScanResult.Clean();
        }
        if (reply.startsWith("stream: ") && reply.endsWith(" FOUND")) {
            List<String> names = Arrays.stream(reply.split("\n"))
                    .map(line -> line.replaceFirst("^stream: ", "")
                            .replaceFirst(" FOUND$", "")
                            .strip())
                    .filter(name -> !name.isEmpty())
                    .toList();
            if (names.stream().allMatch(name -> name.startsWith(LIMITS_EXCEEDED))) {
                // an archive bomb or a file past MaxScanSize/MaxFileSize/MaxRecursion: not scanned to the end
                return new ScanResult.CouldNotScan("clamd limits exceeded: " + String.join(", ", names), false);
            }
            return new ScanResult.Infected(names.stream()
                    .filter(name -> !name.startsWith(LIMITS_EXCEEDED))
                    .toList());
        }
        return new ScanResult.CouldNotScan("clamd: unexpected reply", true);
    }
}
