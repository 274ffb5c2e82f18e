package io.uploadguard.enforcer.notifications;

import io.uploadguard.enforcer.notifications.NotificationChannel.DeliveryFailure;
import io.uploadguard.enforcer.notifications.NotificationMetrics.Outcome;
import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import io.uploadguard.ledger.notifications.DeliveryAdmin;
import io.uploadguard.ledger.notifications.DeliveryQueue;
import io.uploadguard.ledger.notifications.DeliveryQueue.AfterFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: fans new events out to the channels, claims due deliveries (a lease, see
 * {@link DeliveryQueue}), sends them, books each outcome. A crash anywhere leaves a delivery that is
 * sent again once its lease ends: at least once, with the same event id. The steps are separate
 * methods so that tests can crash between them.
 */
final class NotificationDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
    /** Headroom on a lease beyond the longest the batch can take, for the booking itself. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    /** Events deleted per metrics round: small, so that pruning never holds locks for long. */
    private static final int PRUNE_BATCH = 1000;

    private final DeliveryQueue queue;
    private final DeliveryAdmin admin;
    private final Map<String, NotificationChannel> channels;
    private final NotificationProperties properties;
    private final RetryBackoff backoff;
    private final NotificationMetrics metrics;
    private final ExecutorService senders;
    private final Clock clock;

    /**
     * Seven, as each is a separate concern: the ledger's two sides, the channels, the settings,
     * metrics, the sender threads (owned: {@link #close} stops them) and time.
     */
    NotificationDispatcher(
            DeliveryQueue queue,
            DeliveryAdmin admin,
            NotificationChannels channels,
            NotificationProperties properties,
            NotificationMetrics metrics,
            ExecutorService senders,
            Clock clock) {
        this.queue = queue;
        this.admin = admin;
        this.channels =
                channels.all().stream().collect(Collectors.toMap(c -> c.route().channel(), Function.identity()));
        this.properties = properties;
        this.backoff = new RetryBackoff(properties.firstRetry(), properties.maxRetry());
        this.metrics = metrics;
        this.senders = senders;
        this.clock = clock;
    }

    /**
     * One round: fan out, claim, send in parallel, book.
     *
     * @return how many deliveries were attempted (a full batch means: run again now)
     */
    int dispatchOnce() {
        fanOut();
        List<Delivery> claimed = claim();
        List<Future<?>> sends = new ArrayList<>();
        for (Delivery delivery : claimed) {
            sends.add(senders.submit(() -> book(delivery, send(delivery))));
        }
        for (Future<?> send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return claimed.size();
            } catch (ExecutionException e) {
                // the delivery stays claimed until its lease ends, then it is sent again
                log.warn("booking a notification delivery failed; it will be retried", e.getCause());
            }
        }
        return claimed.size();
    }

    /**
     * An instance with no channel fans nothing out: the events wait for one that has channels (a
     * rolling deploy that adds the first channel loses nothing booked before it).
     */
    int fanOut() {
        if (channels.isEmpty()) {
            return 0;
        }
        List<ChannelRoute> routes =
                channels.values().stream().map(NotificationChannel::route).toList();
        return queue.fanOut(routes, properties.horizon(), clock.instant(), properties.batchSize());
    }

    List<Delivery> claim() {
        if (channels.isEmpty()) {
            return List.of();
        }
        return queue.claim(List.copyOf(channels.keySet()), clock.instant(), lease(), properties.batchSize());
    }

    /** @return empty if delivered, else why not */
    Optional<String> send(Delivery delivery) {
        NotificationChannel channel = channels.get(delivery.channel());
        try {
            channel.send(delivery);
            return Optional.empty();
        } catch (DeliveryFailure e) {
            return Optional.of(e.getMessage());
        } catch (RuntimeException e) {
            log.warn("notification channel {} failed unexpectedly", delivery.channel(), e);
            return Optional.of("unexpected " + e.getClass().getSimpleName());
        }
    }

    void book(Delivery delivery, Optional<String> failure) {
        Instant now = clock.instant();
        if (failure.isEmpty()) {
            queue.delivered(delivery, now);
            metrics.attempt(delivery.channel(), Outcome.DELIVERED);
            return;
        }
        AfterFailure after = queue.failed(delivery, backoff.nextAttempt(delivery.attempt(), now), failure.get(), now);
        if (after == AfterFailure.RETRY) {
            metrics.attempt(delivery.channel(), Outcome.RETRIED);
            log.info(
                    "notification {} to {} failed (attempt {}): {}; retrying",
                    delivery.eventId(),
                    delivery.channel(),
                    delivery.attempt(),
                    failure.get());
        } else if (after == AfterFailure.FAILED) {
            metrics.attempt(delivery.channel(), Outcome.FAILED);
            log.warn(
                    "notification {} to {} failed after {} attempts: {}; given up until redelivered",
                    delivery.eventId(),
                    delivery.channel(),
                    delivery.attempt(),
                    failure.get());
        }
    }

    /** Deletes some of the events every channel took longer than the retention ago. */
    int prune() {
        return admin.pruneDelivered(clock.instant().minus(properties.retention()), PRUNE_BATCH);
    }

    /** Reads the backlog into the gauges. */
    void refreshMetrics() {
        // with no channel here, events waiting for fan-out are not this instance's backlog
        Instant waiting = channels.isEmpty() ? null : admin.oldestNotFannedOut();
        metrics.backlog(admin.backlog(), waiting, clock.instant());
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }

    /** Long enough for the whole batch to be sent, one timeout per send, before anyone claims it again. */
    private Duration lease() {
        int rounds = (properties.batchSize() + properties.concurrency() - 1) / properties.concurrency();
        return properties.requestTimeout().multipliedBy(rounds).plus(LEASE_MARGIN);
    }
}
