package io.uploadguard.sandbox.faults;

import java.util.concurrent.Callable;

/**
 * A sandbox server that fault tests can stop and start again, on the same port and with the same
 * data: the real server goes away, clients see connections refused, as when the real thing is down.
 */
public final class Restartable implements AutoCloseable {

    private final String name;
    private final Callable<AutoCloseable> starter;
    private AutoCloseable running;

    public Restartable(String name, Callable<AutoCloseable> starter) {
        this.name = name;
        this.starter = starter;
    }

    public static Restartable running(String name, AutoCloseable server, Callable<AutoCloseable> starter) {
        Restartable r = new Restartable(name, starter);
        r.running = server;
        return r;
    }

    public synchronized void start() throws Exception {
        if (running == null) {
            running = starter.call();
        }
    }

    synchronized void stop() throws Exception {
        if (running != null) {
            AutoCloseable server = running;
            running = null;
            server.close();
        }
    }

    synchronized boolean isRunning() {
        return running != null;
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
