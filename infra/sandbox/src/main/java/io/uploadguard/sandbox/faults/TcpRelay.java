package io.uploadguard.sandbox.faults;

import io.uploadguard.sandbox.client.Quietly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays TCP connections from a public port to a server on another port, byte for byte. Closing
 * it cuts every open connection and frees the port, so clients see what they see when a network
 * path goes down (reset connections, then connections refused) while the server behind keeps its
 * state: that is how the sandbox makes SQS unreachable, since ElasticMQ keeps its queues in
 * memory and a real stop would lose them.
 */
public final class TcpRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpRelay(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Listens on {@code host:port} and relays each connection to {@code host:targetPort}. */
    public static TcpRelay start(String host, int port, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(host, port), 200);
            TcpRelay relay = new TcpRelay(listener, new InetSocketAddress(host, targetPort));
            daemon("relay-accept-" + port, relay::acceptLoop).start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("relay on port {} stopped accepting: {}", listener.getLocalPort(), e.toString());
                }
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                // the server behind is gone: the client sees its connection reset, as it would
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            open.add(client);
            open.add(server);
            if (closed) {
                // close() may have swept the set before these two were added
                closeQuietly(client);
                closeQuietly(server);
                return;
            }
            AtomicInteger directions = new AtomicInteger(2);
            daemon("relay-up", () -> pump(client, server, directions)).start();
            daemon("relay-down", () -> pump(server, client, directions)).start();
        }
    }

    /** Copies one direction; the connection is closed when both have ended, or at once on an error. */
    private void pump(Socket from, Socket to, AtomicInteger directions) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput(); // pass the half-close on
            if (directions.decrementAndGet() == 0) {
                forget(from, to);
            }
        } catch (IOException e) {
            // a reset on either side, or close(): the whole connection goes
            forget(from, to);
        }
    }

    private void forget(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        open.remove(a);
        open.remove(b);
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name + "-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        // closing what is already broken: nothing to add
        Quietly.close(closeable, ignored -> {});
    }
}
