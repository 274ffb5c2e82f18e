package io.uploadguard.benchmarks.enforcer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the enforcer's own meters from its Prometheus endpoint, and samples its heap in use
 * ({@code jvm_memory_used_bytes{area="heap"}}, summed over the pools) and resident set size in the
 * background. A scrape costs the enforcer a few milliseconds of CPU, so throughput phases probe
 * sparingly (heap once a second, event counts a few times a second, and only where the ledger
 * cannot tell).
 */
final class EnforcerProbe implements AutoCloseable {

    record Sample(long nanos, long heapUsed, long rss) {}

    private final String actuator;
    private final long pid;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final List<Sample> samples = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile int failures;

    /**
     * @param actuator the enforcer's actuator base URL, e.g. {@code http://127.0.0.1:8081/actuator}
     * @param pid the enforcer's process id, to sample its resident set size too; 0 for none
     * @param periodMillis heap sampling period; 0 for no background sampling
     */
    EnforcerProbe(String actuator, long pid, long periodMillis) {
        this.actuator = actuator.endsWith("/") ? actuator.substring(0, actuator.length() - 1) : actuator;
        this.pid = pid;
        this.thread = new Thread(() -> loop(periodMillis), "heap-sampler");
        this.thread.setDaemon(true);
        if (periodMillis > 0) {
            this.thread.start();
        }
    }

    private void loop(long periodMillis) {
        while (running.get()) {
            long started = System.nanoTime();
            double used = metric("jvm_memory_used_bytes", "area=\"heap\"");
            if (!Double.isNaN(used)) {
                synchronized (samples) {
                    samples.add(new Sample(started, (long) used, rss()));
                }
            }
            long sleep = periodMillis - (System.nanoTime() - started) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep); // sampling period, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * The sum of the samples of a Prometheus metric whose labels include all of {@code labels}
     * (e.g. {@code kind="created"}) from one scrape; 0 if the metric has no such sample yet (a
     * counter never incremented), NaN if the enforcer did not answer. (Its other actuator endpoints
     * need a token; health and prometheus are open.)
     */
    double metric(String name, String... labels) {
        return sum(scrape(), name, labels);
    }

    /** {created, removed, failed} event messages the enforcer has handled so far, from one scrape. */
    double[] events() {
        String text = scrape();
        return new double[] {
            sum(text, "uploadguard_events_total", "kind=\"created\""),
            sum(text, "uploadguard_events_total", "kind=\"removed\""),
            sum(text, "uploadguard_events_total", "outcome=\"failed\"")
        };
    }

    private static double sum(String text, String name, String... labels) {
        if (text == null) {
            return Double.NaN;
        }
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private String scrape() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(actuator + "/prometheus"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                failures++;
                return null;
            }
            return r.body();
        } catch (IOException e) {
            failures++;
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Resident set size of the enforcer's process in bytes, or -1. */
    private long rss() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Heap-in-use samples (bytes) taken between two {@link System#nanoTime()} instants. */
    double[] heapBetween(long fromNanos, long toNanos) {
        synchronized (samples) {
            return samples.stream()
                    .filter(s -> s.nanos() >= fromNanos && s.nanos() <= toNanos)
                    .mapToDouble(Sample::heapUsed)
                    .toArray();
        }
    }

    /** Resident-set samples (bytes) taken between two {@link System#nanoTime()} instants. */
    double[] rssBetween(long fromNanos, long toNanos) {
        synchronized (samples) {
            return samples.stream()
                    .filter(s -> s.nanos() >= fromNanos && s.nanos() <= toNanos && s.rss() >= 0)
                    .mapToDouble(Sample::rss)
                    .toArray();
        }
    }

    int failures() {
        return failures;
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
