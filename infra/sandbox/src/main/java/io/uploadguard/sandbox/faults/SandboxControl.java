package io.uploadguard.sandbox.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for tests, on loopback only: {@code POST /faults/{s3|postgres|sqs}/stop} takes the
 * real server down, {@code .../start} brings it back on the same port with the same data.
 */
public final class SandboxControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxControl.class);

    private final HttpServer server;

    private SandboxControl(HttpServer server) {
        this.server = server;
    }

    public static SandboxControl start(String host, Map<String, Restartable> parts) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 0);
            server.createContext("/faults/", exchange -> handle(exchange, parts));
            server.start();
            return new SandboxControl(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox's control endpoint", e);
        }
    }

    public String endpoint() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, Map<String, Restartable> parts) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        // /faults/<part>/<stop|start>
        Restartable part = path.length == 4 ? parts.get(path[2]) : null;
        if (!"POST".equals(exchange.getRequestMethod())
                || part == null
                || !(path[3].equals("stop") || path[3].equals("start"))) {
            reply(exchange, 404, "POST /faults/{" + String.join("|", parts.keySet()) + "}/{stop|start}");
            return;
        }
        try {
            if (path[3].equals("stop")) {
                part.stop();
            } else {
                part.start();
            }
            log.warn(
                    "fault injection: {} {} (asked to {})",
                    part.name(),
                    part.isRunning() ? "running" : "stopped",
                    path[3]);
            reply(exchange, 200, part.name() + (part.isRunning() ? " running" : " stopped"));
        } catch (Exception e) {
            reply(exchange, 500, part.name() + ": " + e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
