package io.uploadguard.enforcer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.uploadguard.enforcer.enforcement.Verdict;
import io.uploadguard.ledger.policy.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The enforcer's Prometheus metrics. Every label comes from a closed set (event kinds, outcomes,
 * {@link Reason} names); user ids and keys never become labels.
 */
@Component
public class EnforcerMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong deadLetterDepth = new AtomicLong(-1);
    private final AtomicLong usersBlocked = new AtomicLong();
    private final Counter userBlocks;
    private final Timer inspection;
    private final Timer eventLag;
    /**
     * Counters by name and labels, registered on first use: a registry look-up builds and hashes a
     * meter id each time (a few microseconds per object); the labels are closed sets, so this stays small.
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    EnforcerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        registry.gauge("uploadguard.messages.in.flight", inFlight);
        registry.gauge("uploadguard.dead.letter.messages", deadLetterDepth);
        registry.gauge("uploadguard.users.blocked", usersBlocked);
        // present from the start, so that alerts on its increase see the first block too
        userBlocks = Counter.builder("uploadguard.user.blocks")
                .description("Users blocked for repeated violations")
                .register(registry);
        this.inspection = Timer.builder("uploadguard.inspection.duration")
                .description("HEAD plus ranged GET plus type detection of one object")
                .publishPercentileHistogram()
                .register(registry);
        this.eventLag = Timer.builder("uploadguard.event.lag")
                .description("Time from the S3 event to its processing")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    public void event(String kind, String outcome) {
        counters.computeIfAbsent(
                        "events\n" + kind + "\n" + outcome,
                        k -> Counter.builder("uploadguard.events")
                                .description("S3 event messages by kind and outcome")
                                .tag("kind", kind)
                                .tag("outcome", outcome)
                                .register(registry))
                .increment();
    }

    public void verdict(Verdict verdict, long bytes, boolean userBlocked) {
        String outcome = verdict.accepted() ? "accepted" : "rejected";
        if (verdict.accepted()) {
            verdictCounter(outcome, "none").increment();
        } else {
            for (Reason reason : verdict.reasons()) {
                verdictCounter(outcome, reason.name()).increment();
            }
        }
        // one per verdict, whatever the number of reasons: what rejection rates are computed from
        counters.computeIfAbsent(
                        "objects\n" + outcome,
                        k -> Counter.builder("uploadguard.verdict.objects")
                                .description("Inspected objects by verdict")
                                .tag("outcome", outcome)
                                .register(registry))
                .increment();
        counters.computeIfAbsent(
                        "bytes\n" + outcome,
                        k -> Counter.builder("uploadguard.verdict.bytes")
                                .description("Bytes of inspected objects by verdict")
                                .tag("outcome", outcome)
                                .register(registry))
                .increment(bytes);
        if (userBlocked) {
            userBlocks.increment();
        }
    }

    private Counter verdictCounter(String outcome, String reason) {
        return counters.computeIfAbsent(
                "verdicts\n" + outcome + "\n" + reason,
                k -> Counter.builder("uploadguard.verdicts")
                        .description("Verdicts by outcome and reason")
                        .tag("outcome", outcome)
                        .tag("reason", reason.toLowerCase(Locale.ROOT))
                        .register(registry));
    }

    public void inspected(long nanos) {
        inspection.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void eventLag(Instant eventTime) {
        if (eventTime != null) {
            eventLag.record(Duration.between(eventTime, clock.instant()).abs());
        }
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    public long deadLetterDepth() {
        return deadLetterDepth.get();
    }

    void deadLetterDepth(long depth) {
        deadLetterDepth.set(depth);
    }

    void usersBlocked(long count) {
        usersBlocked.set(count);
    }
}
