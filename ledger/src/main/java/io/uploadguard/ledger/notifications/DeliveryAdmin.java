package io.uploadguard.ledger.notifications;

import static io.uploadguard.ledger.LedgerRows.instant;
import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** What operators and metrics see of the deliveries, and the redelivery of failed ones. */
public final class DeliveryAdmin {

    public static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "FAILED");

    private final LedgerDatabase db;

    public DeliveryAdmin(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.db = new LedgerDatabase(jdbc, transactionManager);
    }

    /** Deliveries in {@code status} (one of {@link #STATUSES}), newest event first. */
    public List<DeliveryRecord> list(String status, int limit) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("unknown delivery status " + status);
        }
        return db.sql("""
                        SELECT d.*, o.type, o.upload_id, o.user_id, o.created_at
                          FROM notification_deliveries d JOIN notification_outbox o ON o.id = d.event_id
                         WHERE d.status = :status
                         ORDER BY o.sequence DESC
                         LIMIT :limit""")
                .param("status", status)
                .param("limit", limit)
                .query(DeliveryAdmin::record)
                .list();
    }

    /**
     * Makes the failed deliveries of one event due now, with a new horizon.
     *
     * @return how many deliveries (one per failed channel) were made due
     */
    public int redeliver(UUID eventId, Duration horizon, Instant now) {
        return redeliverWhere("d.event_id = CAST(:eventId AS uuid)", "eventId", eventId.toString(), horizon, now);
    }

    /** {@link #redeliver} for every delivery that failed at or after {@code since}. */
    public int redeliverFailedSince(Instant since, Duration horizon, Instant now) {
        return redeliverWhere("d.failed_at >= :since", "since", timestamp(micros(since)), horizon, now);
    }

    /** Per channel: how many deliveries are pending and when the oldest was booked. */
    public List<ChannelBacklog> backlog() {
        return db.sql("""
                        SELECT d.channel, count(*) AS pending, min(o.created_at) AS oldest
                          FROM notification_deliveries d JOIN notification_outbox o ON o.id = d.event_id
                         WHERE d.status = 'PENDING'
                         GROUP BY d.channel""")
                .query((rs, row) ->
                        new ChannelBacklog(rs.getString("channel"), rs.getLong("pending"), instant(rs, "oldest")))
                .list();
    }

    /** When the oldest event still waiting to be fanned out was booked, or null if none waits. */
    public Instant oldestNotFannedOut() {
        return db.sql("SELECT min(created_at) AS oldest FROM notification_outbox WHERE fanned_out_at IS NULL")
                .query((rs, row) -> instant(rs, "oldest"))
                .optional() // min() of no rows is one null row, which single() refuses
                .orElse(null);
    }

    /**
     * Deletes up to {@code batchSize} events booked before {@code before} that every channel took
     * (failed and pending ones stay, for operators and for the dispatcher), with their deliveries.
     *
     * @return how many events were deleted
     */
    public int pruneDelivered(Instant before, int batchSize) {
        return db.sql("""
                        WITH old AS (
                            SELECT o.id FROM notification_outbox o
                             WHERE o.created_at < :before AND o.fanned_out_at IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM notification_deliveries d
                                                WHERE d.event_id = o.id AND d.status <> 'DELIVERED')
                             ORDER BY o.sequence
                             LIMIT :batchSize
                               FOR UPDATE SKIP LOCKED
                        ), deliveries AS (
                            DELETE FROM notification_deliveries d USING old WHERE d.event_id = old.id
                        )
                        DELETE FROM notification_outbox o USING old WHERE o.id = old.id""")
                .param("before", timestamp(micros(before)))
                .param("batchSize", batchSize)
                .update();
    }

    private int redeliverWhere(String condition, String name, Object value, Duration horizon, Instant now) {
        Instant at = micros(now);
        return db.sql("""
                        UPDATE notification_deliveries d
                           SET status = 'PENDING', attempts = 0, next_attempt_at = :now, retry_until = :retryUntil,
                               failed_at = NULL
                         WHERE d.status = 'FAILED'""" + " AND " + condition)
                .param("now", timestamp(at))
                .param("retryUntil", timestamp(at.plus(horizon)))
                .param(name, value)
                .update();
    }

    private static DeliveryRecord record(ResultSet rs, int row) throws SQLException {
        return new DeliveryRecord(
                rs.getObject("event_id", UUID.class),
                rs.getString("channel"),
                rs.getString("type"),
                rs.getObject("upload_id", UUID.class),
                rs.getString("user_id"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                instant(rs, "created_at"),
                instant(rs, "next_attempt_at"),
                instant(rs, "delivered_at"),
                instant(rs, "failed_at"));
    }
}
