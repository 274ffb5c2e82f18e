package io.uploadguard.sandbox.client;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * What the mains that run servers until Ctrl-C or SIGTERM share ({@code SandboxMain}, {@code
 * ./run-local}): a start that exits with {@link #START_FAILED} when it fails, and a main thread that
 * waits until the shutdown hook has stopped everything.
 */
public final class UntilStopped {

    /** Exit status when the servers could not start, as the mains have always used. */
    public static final int START_FAILED = 2;

    private final CountDownLatch stopped = new CountDownLatch(1);

    private UntilStopped() {}

    /**
     * What {@code start} returns; when it throws a {@code failure}, prints {@code whatFailed} and the
     * reason on standard error and exits with {@link #START_FAILED}. Other exceptions pass through.
     */
    public static <T> T startOrExit(Supplier<T> start, Class<? extends RuntimeException> failure, String whatFailed) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            if (!failure.isInstance(e)) {
                throw e;
            }
            System.err.println(whatFailed + ": " + e.getMessage());
            System.exit(START_FAILED);
            throw new IllegalStateException("System.exit returned", e);
        }
    }

    /** Runs {@code stop} in a shutdown hook (Ctrl-C, SIGTERM, {@code System.exit}) named {@code threadName}. */
    public static UntilStopped onShutdown(String threadName, Runnable stop) {
        UntilStopped until = new UntilStopped();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.run();
                            until.stopped.countDown();
                        },
                        threadName));
        return until;
    }

    /** Keeps the calling (main) thread until the shutdown hook has run. */
    public void await() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
