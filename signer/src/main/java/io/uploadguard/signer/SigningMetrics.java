package io.uploadguard.signer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Signing requests by profile and outcome. Labels stay bounded: the profile is one of the
 * configured names or "unknown", the reason one of the stable error codes; never a user or key.
 */
@Component
class SigningMetrics {

    static final String UNKNOWN_PROFILE = "unknown";

    private final MeterRegistry registry;

    SigningMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String profile, SigningOutcome outcome, long nanos) {
        String result = outcome instanceof SigningOutcome.Signed ? "signed" : "refused";
        String reason =
                outcome instanceof SigningOutcome.Refused r ? r.refusal().error() : "none";
        Counter.builder("uploadguard.signing.requests")
                .description("Signing requests by profile, outcome and refusal reason")
                .tag("profile", profile)
                .tag("outcome", result)
                .tag("reason", reason)
                .register(registry)
                .increment();
        Timer.builder("uploadguard.signing.duration")
                .description("Time to check, presign and reserve one upload")
                .tag("outcome", result)
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Refusals that happen before the signing logic runs (no or bad token). */
    void unauthenticated() {
        Counter.builder("uploadguard.signing.requests")
                .description("Signing requests by profile, outcome and refusal reason")
                .tag("profile", UNKNOWN_PROFILE)
                .tag("outcome", "refused")
                .tag("reason", "unauthorized")
                .register(registry)
                .increment();
    }
}
