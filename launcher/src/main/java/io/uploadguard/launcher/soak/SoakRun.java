package io.uploadguard.launcher.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the parts of one soak run share: the uploads sent and those still owed a verdict, the
 * faults injected, the abort signal, and the output with its clock.
 */
final class SoakRun {

    /** The progress line comes this often; the summary's lowest-rate window is as long. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    final SoakOptions options;
    final ConcurrentLinkedQueue<SoakUpload> uploads = new ConcurrentLinkedQueue<>();
    final Map<String, SoakUpload> awaitingVerdict = new ConcurrentHashMap<>();
    final List<SoakFault> faults = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger statusPolls = new AtomicInteger();
    final AtomicInteger statusPollsFailed = new AtomicInteger();
    /** The machine's 1-minute load average every 10 s: figures from a busy machine say so. */
    final List<Double> loadSamples = Collections.synchronizedList(new ArrayList<>());

    private final PrintStream out;
    private final CountDownLatch aborted = new CountDownLatch(1);
    private volatile Instant startedAt;

    SoakRun(SoakOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    void start() {
        startedAt = Instant.now();
    }

    Instant startedAt() {
        return startedAt;
    }

    PrintStream out() {
        return out;
    }

    void abort() {
        aborted.countDown();
    }

    boolean aborted() {
        return aborted.getCount() == 0;
    }

    /** Waits up to {@code time}; true if the run was aborted meanwhile. */
    boolean awaitAbort(Duration time) throws InterruptedException {
        return aborted.await(time.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void say(String format, Object... args) {
        double t = startedAt == null
                ? 0
                : Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
        out.println(String.format(Locale.ROOT, "t=+%6.1fs  ", t) + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
