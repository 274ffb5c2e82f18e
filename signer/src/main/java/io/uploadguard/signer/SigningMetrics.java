package io.uploadguard.signer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Signing requests by profile and outcome. Labels stay bounded: the profile is one of the
 * configured names or "unknown", the reason one of the stable error codes; never a user or key.
 *
 * <p>Each meter is looked up in the registry once and kept: building and registering it on every
 * request (tags sorted, the registry's map searched) was a measurable share of a request's CPU.
 */
@Component
public class SigningMetrics {

    static final String UNKNOWN_PROFILE = "unknown";

    private final MeterRegistry registry;
    private final Map<Labels, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public SigningMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String profile, SigningOutcome outcome, long nanos) {
        String result = outcome instanceof SigningOutcome.Refused ? "refused" : "signed";
        String reason =
                outcome instanceof SigningOutcome.Refused r ? r.refusal().error() : "none";
        counter(new Labels(profile, result, reason)).increment();
        timers.computeIfAbsent(result, this::timer).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Refusals that happen before the signing logic runs (no or bad token). */
    void unauthenticated() {
        counter(new Labels(UNKNOWN_PROFILE, "refused", "unauthorized")).increment();
    }

    private Counter counter(Labels labels) {
        return counters.computeIfAbsent(
                labels,
                l -> Counter.builder("uploadguard.signing.requests")
                        .description("Signing requests by profile, outcome and refusal reason")
                        .tag("profile", l.profile())
                        .tag("outcome", l.outcome())
                        .tag("reason", l.reason())
                        .register(registry));
    }

    private Timer timer(String outcome) {
        return Timer.builder("uploadguard.signing.duration")
                .description("Time to check, presign and reserve one upload")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private record Labels(String profile, String outcome, String reason) {}
}
