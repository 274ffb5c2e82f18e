package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's memory exhaustion, at CI size: bodies of many megabytes, declared and chunked, in
 * parallel, are refused with 413 before they are read (the signer answers while the client is still
 * sending), a normal request meanwhile is signed, and the JVM allocates far less than one body
 * meanwhile. The full attack is in docs/reliability.md.
 */
@Tag("integration")
class RequestBodyLimitTest extends SignerIntegrationTest {

    private static final long HUGE = 64L * 1024 * 1024;
    private static final int PARALLEL = 4;
    private final ExecutorService pool = Executors.newFixedThreadPool(2 * PARALLEL);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeclaredHugeBodyIsRefusedBeforeAByteOfItIsSent() {
        long allocatedBefore = allocatedBytes();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> declaredButNeverSent(HUGE), pool));
        }

        assertThat(sign(newUser(), "avatar", "image/png", 100).status()).isEqualTo(201);
        for (CompletableFuture<String> answer : answers) {
            assertThat(answer.join()).startsWith("HTTP/1.1 413").contains("\"error\":\"payload_too_large\"");
        }
        assertThat(allocatedBytes() - allocatedBefore)
                .as("heap allocated by every thread of this JVM (the signer's and the test's) meanwhile")
                .isLessThan(HUGE / 2);
    }

    @Test
    void aChunkedHugeBodyIsCutOffAtTheLimit() {
        long allocatedBefore = allocatedBytes();
        List<AtomicLong> sent = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            AtomicLong bytes = new AtomicLong();
            sent.add(bytes);
            answers.add(CompletableFuture.supplyAsync(() -> chunked(HUGE, bytes), pool));
        }

        assertThat(sign(newUser(), "avatar", "image/png", 100).status()).isEqualTo(201);
        for (int i = 0; i < PARALLEL; i++) {
            assertThat(answers.get(i).join()).startsWith("HTTP/1.1 413").contains("\"error\":\"payload_too_large\"");
            // the signer stopped reading and dropped the connection long before the end
            assertThat(sent.get(i).get()).isLessThan(HUGE / 2);
        }
        assertThat(allocatedBytes() - allocatedBefore)
                .as("heap allocated by every thread of this JVM (the signer's and the test's) meanwhile")
                .isLessThan(HUGE / 2);
    }

    @Test
    void aBodyJustUnderTheLimitIsStillRead() {
        String padded = "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":100,\"filename\":\"a.png\""
                + " ".repeat(16 * 1024 - 100) + "}";

        assertThat(post(token(newUser()), padded).status()).isEqualTo(201);
        assertThat(post(token(newUser()), padded + " ".repeat(200))
                        .body()
                        .get("error")
                        .asString())
                .isEqualTo("payload_too_large");
    }

    /**
     * Bytes allocated so far by the live threads of this JVM, which runs the signer: the bodies did
     * not reach the heap if this grows by much less than one of them. (Threads that ended meanwhile
     * drop out; Tomcat's request threads and the test's pool live through a test.)
     */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = Thread.getAllStackTraces().keySet().stream()
                .mapToLong(Thread::getId)
                .toArray();
        return LongStream.of(threads.getThreadAllocatedBytes(ids))
                .filter(bytes -> bytes > 0)
                .sum();
    }

    /** Sends only the headers of a request declaring {@code length} bytes, and reads the answer. */
    private String declaredButNeverSent(long length) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + length));
            out.flush();
            return answer(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams up to {@code length} bytes as chunks while reading the answer; counts what got sent. */
    private String chunked(long length, AtomicLong sent) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers("Transfer-Encoding: chunked"));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(
                    () -> {
                        byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                        try {
                            while (sent.get() < length) {
                                out.write(chunk);
                                sent.addAndGet(0x10000);
                            }
                            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            // the signer closed the connection: what it should do
                        }
                    },
                    pool);
            String answer = answer(socket);
            socket.shutdownOutput();
            writer.join();
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] headers(String length) {
        return ("POST /uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token(newUser())
                        + "\r\nContent-Type: application/json\r\n" + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The status line, headers and the JSON body, as far as the signer sent them: read up to the
     * body's closing brace, since the connection may stay open while the server drains the request.
     */
    private static String answer(Socket socket) throws IOException {
        var in = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8);
        StringBuilder answer = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            answer.append((char) c);
            if (c == '}' && answer.indexOf("\"error\"") >= 0) {
                break;
            }
        }
        return answer.toString();
    }
}
