package io.uploadguard.enforcer.notifications;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A backend's webhook endpoint, for tests: verifies each request the
 * Standard Webhooks way, on its own (not with the sender's code), and records what arrived. Tests
 * make it answer 500, answer too slowly, or go away entirely (the port closed) and come back.
 *
 * <p>The local run's receiver is the launcher's {@code BackendReceiver} (this module cannot use it).
 */
final class WebhookReceiver implements AutoCloseable {

    /** How it answers. */
    enum Mode {
        OK,
        ERROR_500,
        /** Answers 200, but only after the sender's timeout. */
        SLOW
    }

    /** One request as it arrived. */
    record Arrival(String id, long timestamp, String signature, String body, boolean verified, int answered) {}

    private final byte[] key;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Mode mode = Mode.OK;
    private volatile Duration slowness = Duration.ofSeconds(2);
    private volatile HttpServer server;
    private final int port;
    private final Consumer<Arrival> onArrival;

    WebhookReceiver(String secret) throws IOException {
        this(secret, 0, arrival -> {});
    }

    WebhookReceiver(String secret, int port, Consumer<Arrival> onArrival) throws IOException {
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        this.onArrival = onArrival;
        this.server = start(port);
        this.port = server.getAddress().getPort();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hooks/uploadguard");
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    void slowness(Duration slowness) {
        this.slowness = slowness;
    }

    /** Closes the port: senders get "connection refused" until {@link #up}. */
    synchronized void down() {
        server.stop(0);
        server = null;
    }

    synchronized void up() throws IOException {
        if (server == null) {
            server = start(port);
        }
    }

    List<Arrival> arrivals() {
        return new ArrayList<>(arrivals);
    }

    /** The arrivals it answered with a 2xx, in arrival order. */
    List<Arrival> accepted() {
        return arrivals.stream().filter(a -> a.answered() / 100 == 2).toList();
    }

    private HttpServer start(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        http.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        http.createContext("/hooks/uploadguard", this::handle);
        http.start();
        return http;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean verified = verify(id, timestamp, signature, body);
            Mode answer = mode;
            if (answer == Mode.SLOW) {
                // holds the request past the sender's timeout (or until the test ends)
                released.await(slowness.toMillis(), TimeUnit.MILLISECONDS);
            }
            int status = !verified ? 400 : answer == Mode.ERROR_500 ? 500 : 200;
            Arrival arrival = new Arrival(id, Long.parseLong(timestamp), signature, body, verified, status);
            arrivals.add(arrival);
            onArrival.accept(arrival);
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a backend does: HMAC-SHA256 of {@code id.timestamp.body}, compared with each {@code v1,} signature. */
    private boolean verify(String id, String timestamp, String header, String body) {
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String candidate : header.split(" ")) {
                if (candidate.startsWith("v1,")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
    }
}
