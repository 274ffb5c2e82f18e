package io.uploadguard.enforcer.notifications;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.uploadguard.ledger.notifications.ChannelBacklog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The dispatcher's metrics. Labels are the configured channel names and a closed set of outcomes;
 * never an event, upload or user id.
 */
final class NotificationMetrics {

    static final String DELIVERIES = "uploadguard.notifications.deliveries";
    static final String PENDING = "uploadguard.notifications.pending";
    static final String OLDEST = "uploadguard.notifications.oldest.undelivered.age";

    /** What one attempt came to. */
    enum Outcome {
        DELIVERED,
        RETRIED,
        FAILED
    }

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final AtomicLong oldestSeconds = new AtomicLong();

    NotificationMetrics(MeterRegistry registry, List<String> channels) {
        this.registry = registry;
        for (String channel : channels) {
            AtomicLong count = pending.computeIfAbsent(channel, c -> new AtomicLong());
            Gauge.builder(PENDING, count, AtomicLong::get)
                    .description("Notifications not yet delivered (nor failed), by channel")
                    .tag("channel", channel)
                    .register(registry);
            // present from the start, so that alerts on their increase see the first one too
            for (Outcome outcome : Outcome.values()) {
                counter(channel, outcome);
            }
        }
        Gauge.builder(OLDEST, oldestSeconds, AtomicLong::get)
                .description("Age of the oldest booked notification not yet delivered on every channel")
                .baseUnit("seconds")
                .register(registry);
    }

    void attempt(String channel, Outcome outcome) {
        counter(channel, outcome).increment();
    }

    /** Sets the gauges from the ledger's backlog and the oldest event not fanned out yet. */
    void backlog(List<ChannelBacklog> backlog, Instant oldestNotFannedOut, Instant now) {
        Map<String, ChannelBacklog> byChannel =
                backlog.stream().collect(Collectors.toMap(ChannelBacklog::channel, Function.identity()));
        pending.forEach((channel, count) -> {
            ChannelBacklog b = byChannel.get(channel);
            count.set(b == null ? 0 : b.pending());
        });
        Instant oldest = oldestNotFannedOut;
        for (ChannelBacklog b : backlog) {
            if (b.oldest() != null && (oldest == null || b.oldest().isBefore(oldest))) {
                oldest = b.oldest();
            }
        }
        oldestSeconds.set(
                oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds()));
    }

    private Counter counter(String channel, Outcome outcome) {
        return Counter.builder(DELIVERIES)
                .description("Notification delivery attempts by channel and outcome"
                        + " (delivered; retried: failed, tried again later; failed: gave up)")
                .tag("channel", channel)
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry);
    }
}
