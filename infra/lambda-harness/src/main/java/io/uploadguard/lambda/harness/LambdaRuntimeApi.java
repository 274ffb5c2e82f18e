package io.uploadguard.lambda.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local implementation of the AWS Lambda Runtime API (version 2018-06-01), the HTTP interface the
 * runtime interface client polls: it hands out the submitted events one by one on
 * {@code GET /runtime/invocation/next} and collects what the function posts back on
 * {@code .../invocation/{id}/response}, {@code .../invocation/{id}/error} and {@code /runtime/init/error}.
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final Duration INVOCATION_TIMEOUT = Duration.ofMinutes(1);

    /** What the function answered for one event: its response, or the error it reported. */
    public record Outcome(String requestId, boolean error, String body, Instant at) {}

    private record Invocation(String requestId, String event, CompletableFuture<Outcome> outcome) {}

    private final HttpServer server;
    private final ExecutorService handlers;
    private final String functionArn;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final CompletableFuture<Instant> firstPoll = new CompletableFuture<>();

    private LambdaRuntimeApi(HttpServer server, ExecutorService handlers, String functionArn) {
        this.server = server;
        this.handlers = handlers;
        this.functionArn = functionArn;
    }

    /** Starts the API on a free loopback port for a function of this name. */
    public static LambdaRuntimeApi start(String functionName) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            // GET next is a long poll: it must not block the responses posted meanwhile
            ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "lambda-runtime-api");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(handlers);
            var api = new LambdaRuntimeApi(
                    server, handlers, "arn:aws:lambda:eu-west-1:123456789012:function:" + functionName);
            server.createContext(PREFIX, api::handle);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Lambda Runtime API", e);
        }
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event; the future completes when the function answers it. */
    public CompletableFuture<Outcome> submit(String event) {
        var invocation = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        pending.add(invocation);
        return invocation.outcome();
    }

    /** Completes when the function first asks for an event, i.e. its initialisation is over. */
    public CompletableFuture<Instant> firstPoll() {
        return firstPoll;
    }

    /** Completes with the error body if the function reports that its initialisation failed. */
    public CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(body(exchange));
                exchange.sendResponseHeaders(202, -1);
            } else if (method.equals("POST") && path.startsWith("invocation/")) {
                answer(exchange, path.substring("invocation/".length()));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstPoll.complete(Instant.now());
        Invocation invocation;
        try {
            invocation = pending.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(500, -1);
            return;
        }
        inFlight.put(invocation.requestId(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.add(
                "Lambda-Runtime-Deadline-Ms",
                Long.toString(Instant.now().plus(INVOCATION_TIMEOUT).toEpochMilli()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.add(
                "Lambda-Runtime-Trace-Id",
                "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                        + invocation.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
        headers.add("Content-Type", "application/json");
        byte[] event = invocation.event().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, event.length);
        exchange.getResponseBody().write(event);
    }

    private void answer(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String requestId = slash < 0 ? rest : rest.substring(0, slash);
        String kind = slash < 0 ? "" : rest.substring(slash + 1);
        Invocation invocation = inFlight.remove(requestId);
        if (invocation == null || !(kind.equals("response") || kind.equals("error"))) {
            exchange.sendResponseHeaders(400, -1);
            return;
        }
        invocation.outcome().complete(new Outcome(requestId, kind.equals("error"), body(exchange), Instant.now()));
        exchange.sendResponseHeaders(202, -1);
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
