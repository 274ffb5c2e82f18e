package io.uploadguard.launcher.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A web app's origin for the browser tests: static files on 127.0.0.1 (a real server, so Chromium
 * lets its pages call the loopback signer), each URL prefix served from one folder. No CORS headers
 * of its own, no Content-Security-Policy: an app's page as a developer would start it.
 */
final class PageServer implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css",
            "json", "application/json");

    private final HttpServer server;

    private PageServer(HttpServer server) {
        this.server = server;
    }

    /** Serves {@code prefix -> folder} (e.g. {@code "/client/" -> clients/js/src}) on 127.0.0.1:port. */
    static PageServer start(int port, Map<String, Path> folders) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        folders.forEach((prefix, folder) -> {
            Path root = folder.toAbsolutePath().normalize();
            server.createContext(prefix, exchange -> serve(exchange, prefix, root));
        });
        server.start();
        return new PageServer(server);
    }

    private static void serve(HttpExchange exchange, String prefix, Path folder) throws IOException {
        try (exchange) {
            String relative = exchange.getRequestURI().getPath().substring(prefix.length());
            Path file =
                    folder.resolve(relative.isEmpty() ? "index.html" : relative).normalize();
            if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
