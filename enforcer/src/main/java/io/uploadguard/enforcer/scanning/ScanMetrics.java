package io.uploadguard.enforcer.scanning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scanner's metrics. Labels: the scanner ({@code clamd}, {@code none}) and the outcome
 * ({@link ScanResult#outcome()}): closed sets.
 */
final class ScanMetrics {

    private static final List<String> OUTCOMES = List.of("clean", "infected", "unavailable", "over_limits");

    private final MeterRegistry registry;
    private final String scanner;
    private final AtomicInteger reachable = new AtomicInteger(1);
    private final Counter held;
    private final Counter acceptedUnscanned;
    private final Counter bytes;

    ScanMetrics(MeterRegistry registry, String scanner) {
        this.registry = registry;
        this.scanner = scanner;
        registry.gauge("uploadguard.scanner.reachable", List.of(Tag.of("scanner", scanner)), reachable);
        // present from the start, so that alerts on their increase see the first one too
        held = Counter.builder("uploadguard.scan.held")
                .description("Objects held (message left for redelivery) because the scanner could not be reached")
                .tag("scanner", scanner)
                .register(registry);
        acceptedUnscanned = Counter.builder("uploadguard.scan.unscanned.accepted")
                .description("Objects of a profile with an optional scan accepted without one")
                .tag("scanner", scanner)
                .register(registry);
        bytes = Counter.builder("uploadguard.scan.bytes")
                .description("Bytes streamed to the scanner and scanned to the end")
                .baseUnit("bytes")
                .tag("scanner", scanner)
                .register(registry);
        for (String outcome : OUTCOMES) {
            results(outcome);
            duration(outcome);
        }
    }

    void scanned(ScanResult result, long size, long nanos) {
        duration(result.outcome()).record(nanos, TimeUnit.NANOSECONDS);
        results(result.outcome()).increment();
        if (!(result instanceof ScanResult.CouldNotScan)) {
            bytes.increment(size);
        }
        reachable(!(result instanceof ScanResult.CouldNotScan c && c.retryable()));
    }

    void reachable(boolean up) {
        reachable.set(up ? 1 : 0);
    }

    void held() {
        held.increment();
    }

    void acceptedUnscanned() {
        acceptedUnscanned.increment();
    }

    private Timer duration(String outcome) {
        return Timer.builder("uploadguard.scan.duration")
                .description("One object streamed to the scanner and its answer")
                .tag("scanner", scanner)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    private Counter results(String outcome) {
        return Counter.builder("uploadguard.scan.results")
                .description("Scans by outcome")
                .tag("scanner", scanner)
                .tag("outcome", outcome)
                .register(registry);
    }
}
