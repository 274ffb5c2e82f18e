package io.uploadguard.ledger.notifications;

import static io.uploadguard.ledger.LedgerRows.instant;
import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.textArray;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The dispatcher's side of the outbox: fans events out to the channels, claims due deliveries and
 * books their outcome. Every step is one short transaction; nothing is held open while a channel
 * is called. A claim is a lease: it moves the delivery's next attempt past the lease, so a
 * dispatcher that dies mid-send leaves a delivery that is claimed again once the lease ends (at
 * least once: the receiver may see the event twice, with the same id).
 *
 * <p>Order: a delivery is claimed only once every earlier event with its order key (its upload, or
 * its user) is fanned out and no longer pending on that channel. Earlier means a smaller sequence; every
 * booking writes its event while holding its upload's (or account's) row lock, so events of one
 * order key get their sequence in commit order and none can appear later with a smaller one. Several dispatchers may run: each
 * claims rows the others have not locked ({@code FOR UPDATE SKIP LOCKED}).
 */
public final class DeliveryQueue {

    /** What a failed attempt led to. */
    public enum AfterFailure {
        /** Tried again later. */
        RETRY,
        /** Past its horizon: marked failed, for an operator to redeliver. */
        FAILED,
        /** Nothing: the lease had ended and another attempt took the delivery over. */
        SUPERSEDED
    }

    private final LedgerDatabase db;

    public DeliveryQueue(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.db = new LedgerDatabase(jdbc, transactionManager);
    }

    /**
     * Writes the delivery rows of up to {@code batchSize} events not yet fanned out: one per route
     * whose filters take the event, due now, to be tried until {@code now + horizon}.
     *
     * @return how many events were fanned out
     */
    public int fanOut(List<ChannelRoute> routes, Duration horizon, Instant now, int batchSize) {
        Instant at = micros(now);
        return db.inTransaction(tx -> {
            List<UUID> events =
                    db.sql("""
                            SELECT id FROM notification_outbox WHERE fanned_out_at IS NULL
                             ORDER BY sequence LIMIT :batchSize FOR UPDATE SKIP LOCKED""").param("batchSize", batchSize).query(UUID.class).list();
            if (events.isEmpty()) {
                return 0;
            }
            Object ids = new SqlArrayValue("uuid", events.toArray());
            for (ChannelRoute route : routes) {
                db.sql("""
                                INSERT INTO notification_deliveries (event_id, channel, status, next_attempt_at,
                                                                     retry_until)
                                SELECT o.id, :channel, 'PENDING', :now, :retryUntil FROM notification_outbox o
                                 WHERE o.id = ANY(:ids)
                                   AND (cardinality(:profiles) = 0 OR o.upload_id IS NULL OR o.profile = ANY(:profiles))
                                   AND (cardinality(:types) = 0 OR o.type = ANY(:types))
                                ON CONFLICT DO NOTHING""")
                        .param("channel", route.channel())
                        .param("now", timestamp(at))
                        .param("retryUntil", timestamp(at.plus(horizon)))
                        .param("ids", ids)
                        .param("profiles", textArray(List.copyOf(route.profiles())))
                        .param("types", textArray(List.copyOf(route.types())))
                        .update();
            }
            db.sql("UPDATE notification_outbox SET fanned_out_at = :now WHERE id = ANY(:ids)")
                    .param("now", timestamp(at))
                    .param("ids", ids)
                    .update();
            return events.size();
        });
    }

    /**
     * Claims up to {@code batchSize} due deliveries on {@code channels}, oldest event first, at most
     * one per order key and channel, for {@code lease}: until then no other dispatcher takes them.
     */
    public List<Delivery> claim(List<String> channels, Instant now, Duration lease, int batchSize) {
        Instant at = micros(now);
        return db.inTransaction(tx -> new ArrayList<>(db.sql("""
                        WITH due AS (
                            SELECT d.event_id, d.channel, o.sequence
                              FROM notification_deliveries d
                              JOIN notification_outbox o ON o.id = d.event_id
                             WHERE d.status = 'PENDING' AND d.next_attempt_at <= :now
                               AND d.channel = ANY(:channels)
                               AND NOT EXISTS (
                                   SELECT 1 FROM notification_outbox e
                                    WHERE e.order_key = o.order_key AND e.sequence < o.sequence
                                      AND (e.fanned_out_at IS NULL OR EXISTS (
                                           SELECT 1 FROM notification_deliveries x
                                            WHERE x.event_id = e.id AND x.channel = d.channel
                                              AND x.status = 'PENDING')))
                             ORDER BY o.sequence
                             LIMIT :batchSize
                               FOR UPDATE OF d SKIP LOCKED
                        )
                        UPDATE notification_deliveries d
                           SET attempts = d.attempts + 1, next_attempt_at = :leaseEnds
                          FROM due, notification_outbox o
                         WHERE d.event_id = due.event_id AND d.channel = due.channel AND o.id = d.event_id
                        RETURNING d.event_id, d.channel, d.attempts, d.retry_until, o.type,
                                  CAST(o.payload AS text) AS payload, o.created_at, o.sequence""")
                .param("now", timestamp(at))
                .param("leaseEnds", timestamp(at.plus(lease)))
                .param("channels", textArray(channels))
                .param("batchSize", batchSize)
                .query((rs, row) -> new Delivery(
                        rs.getObject("event_id", UUID.class),
                        rs.getString("channel"),
                        rs.getInt("attempts"),
                        rs.getString("type"),
                        rs.getString("payload"),
                        instant(rs, "created_at"),
                        instant(rs, "retry_until")))
                .list()));
    }

    /** Books a delivery as delivered; a no-op if another attempt already did. */
    public void delivered(Delivery delivery, Instant now) {
        db.sql("""
                        UPDATE notification_deliveries
                           SET status = 'DELIVERED', delivered_at = :now, last_error = NULL
                         WHERE event_id = :eventId AND channel = :channel AND status = 'PENDING'""")
                .param("now", timestamp(micros(now)))
                .param("eventId", delivery.eventId())
                .param("channel", delivery.channel())
                .update();
    }

    /**
     * Books a failed attempt: tried again at {@code nextAttempt}, or marked failed if that is past
     * the delivery's horizon. Only the attempt that holds the lease books it.
     *
     * @param error why, for operators: no secret, no payload
     */
    public AfterFailure failed(Delivery delivery, Instant nextAttempt, String error, Instant now) {
        Objects.requireNonNull(error, "error");
        return db.sql("""
                        UPDATE notification_deliveries
                           SET status = CASE WHEN CAST(:next AS timestamptz) > retry_until
                                             THEN 'FAILED' ELSE 'PENDING' END,
                               failed_at = CASE WHEN CAST(:next AS timestamptz) > retry_until
                                                THEN CAST(:now AS timestamptz) END,
                               next_attempt_at = :next, last_error = :error
                         WHERE event_id = :eventId AND channel = :channel AND status = 'PENDING'
                           AND attempts = :attempt
                        RETURNING status""")
                .param("next", timestamp(micros(nextAttempt)))
                .param("now", timestamp(micros(now)))
                .param("error", error.length() > 500 ? error.substring(0, 500) : error)
                .param("eventId", delivery.eventId())
                .param("channel", delivery.channel())
                .param("attempt", delivery.attempt())
                .query(String.class)
                .optional()
                .map(status -> "FAILED".equals(status) ? AfterFailure.FAILED : AfterFailure.RETRY)
                .orElse(AfterFailure.SUPERSEDED);
    }
}
