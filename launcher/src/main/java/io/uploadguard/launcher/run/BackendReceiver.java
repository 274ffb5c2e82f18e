package io.uploadguard.launcher.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backend of the local run: receives the enforcer's webhooks on loopback, verifies each the
 * Standard Webhooks way (on its own, not with the sender's code, as a backend would), prints one
 * line per event and keeps the last ones for the demo and the tests ({@code GET /events?uploadId=}).
 * Deduplicates by event id, as delivery is at least once.
 */
public final class BackendReceiver implements AutoCloseable {

    /** How many distinct events arrived, and when the first and the last did (null before any). */
    public record Tally(long events, Instant first, Instant last) {}

    /** One event whose signature held (the others are refused with a 400 and not kept). */
    public record Event(String id, String type, String uploadId, String clientReference, List<String> reasons) {}

    static final String HOOK_PATH = "/hooks/uploadguard";
    private static final int KEPT = 500;
    /** Standard Webhooks' advice: refuse timestamps further off than this (replays). */
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String secret;
    private final byte[] key;
    private final Clock clock;
    private final Deque<Event> events = new ArrayDeque<>();
    private final HttpServer server;
    private final ExecutorService threads;
    private volatile Consumer<String> printer = line -> {};
    private long kept;
    private Instant first;
    private Instant last;

    private BackendReceiver(String secret, Clock clock) throws IOException {
        this.secret = secret;
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        this.threads = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "backend-receiver");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext(HOOK_PATH, this::receive);
        server.createContext("/events", this::list);
        server.start();
    }

    /** On a free loopback port, with a new secret (also the notification benchmark's receiver). */
    public static BackendReceiver start() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        try {
            return new BackendReceiver("whsec_" + Base64.getEncoder().encodeToString(bytes), Clock.systemUTC());
        } catch (IOException e) {
            throw new LaunchException("cannot start the webhook receiver: " + e.getMessage());
        }
    }

    /** The base URL: {@code /events} lists what arrived. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the enforcer sends its webhooks. */
    public String hookUrl() {
        return url() + HOOK_PATH;
    }

    /** The {@code whsec_} secret both sides share; goes to the enforcer by environment only. */
    public String secret() {
        return secret;
    }

    /** Where a line per arrival goes (nowhere until set: tests and soaks stay quiet). */
    public void printTo(Consumer<String> printer) {
        this.printer = printer;
    }

    public synchronized Tally tally() {
        return new Tally(kept, first, last);
    }

    /** What arrived about one upload, oldest first. */
    public synchronized List<Event> eventsFor(String uploadId) {
        return events.stream().filter(e -> uploadId.equals(e.uploadId())).toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            boolean verified = verify(
                    headers.getFirst("webhook-id"),
                    headers.getFirst("webhook-timestamp"),
                    headers.getFirst("webhook-signature"),
                    body);
            Event event = verified ? parse(body) : null;
            if (event == null) {
                printer.accept("webhook REFUSED: bad signature, stale timestamp or not an UploadGuard event");
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            if (keep(event)) {
                printer.accept(describe(event));
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String uploadId = query != null && query.startsWith("uploadId=")
                    ? URLDecoder.decode(query.substring("uploadId=".length()), StandardCharsets.UTF_8)
                    : "";
            List<Event> found;
            synchronized (this) {
                found = uploadId.isEmpty() ? new ArrayList<>(events) : eventsFor(uploadId);
            }
            byte[] answer = JSON.writeValueAsBytes(found);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** False when this id came before (a redelivery): the backend acts once. */
    private synchronized boolean keep(Event event) {
        if (events.stream().anyMatch(e -> e.id().equals(event.id()))) {
            return false;
        }
        events.addLast(event);
        kept++;
        last = clock.instant();
        first = first == null ? last : first;
        if (events.size() > KEPT) {
            events.removeFirst();
        }
        return true;
    }

    /** What a backend does: HMAC-SHA256 of {@code id.timestamp.body}, compared with each {@code v1,} signature. */
    private boolean verify(String id, String timestamp, String header, String body) {
        if (id == null || timestamp == null || header == null || !timestamp.matches("\\d{1,12}")) {
            return false;
        }
        long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
        if (Math.abs(age) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
        for (String candidate : header.split(" ")) {
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected, decode(candidate.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static Event parse(String body) {
        try {
            JsonNode event = JSON.readTree(body);
            JsonNode data = event.path("data");
            List<String> reasons = new ArrayList<>();
            data.path("reasons").forEach(reason -> reasons.add(reason.asString()));
            return new Event(
                    event.path("id").asString(),
                    event.path("type").asString(),
                    data.path("uploadId").asString(null),
                    data.path("clientReference").asString(null),
                    reasons);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String describe(Event event) {
        String subject = event.uploadId() != null ? "upload=" + event.uploadId() : "user event";
        return "backend told: " + event.type() + " " + subject
                + (event.clientReference() != null ? " clientReference=" + printable(event.clientReference()) : "")
                + " reasons=" + event.reasons();
    }

    /** Client references are the caller's text: shown escaped, never as control characters. */
    private static String printable(String text) {
        return JSON.writeValueAsString(text);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
