package io.uploadguard.ledger.notifications;

import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerDatabase;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes notification events to {@code notification_outbox}. Called by the bookings inside their
 * own transaction, after the booked row is written: the payload is built by PostgreSQL from that
 * row, so what is announced is exactly what was booked, and a rolled-back booking announces
 * nothing. One builder for every event of an upload, so every channel gets one JSON shape
 * ({@code docs/notifications.schema.json}).
 */
public final class Outbox {

    /** The upload's fields every upload event carries; {@code r} is the replay row, if any. */
    private static final String UPLOAD_DATA = """
            json_build_object(
                'uploadId', u.upload_id, 'userId', u.user_id, 'profile', u.profile,
                'clientReference', u.client_reference, 'key', u.object_key,
                'servedKey', CASE WHEN r.event_key IS NULL AND u.action = 'PROMOTED' THEN u.current_key END,
                'quarantineKey', CASE WHEN r.event_key IS NULL AND u.action = 'QUARANTINED' THEN u.current_key END,
                'status', lower(CASE WHEN r.event_key IS NULL THEN u.status ELSE 'REJECTED' END),
                'declaredType', u.declared_type, 'declaredSize', u.declared_size,
                'detectedType', CASE WHEN r.event_key IS NULL THEN u.detected_type END,
                'realSize', COALESCE(r.real_size, u.real_size),
                'reasons', COALESCE(r.reasons, u.reasons),
                'action', lower(COALESCE(r.action, u.action)),
                'replay', CASE WHEN r.event_key IS NOT NULL THEN true END)""";

    /** The event around its data; nulls are left out, and PostgreSQL writes it compact. */
    private static String envelope(NotificationType type, String data) {
        return "json_strip_nulls(json_build_object('id', CAST(gen_random_uuid() AS text), 'type', '" + type.wireName()
                + "', 'time', CAST(:time AS text), 'data', " + data + "))";
    }

    private final LedgerDatabase db;

    public Outbox(LedgerDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * The statement that writes the event about an upload: an {@code INSERT ... SELECT} from
     * {@code rows}, a {@code FROM} clause that names the upload row {@code u} and the replay row
     * {@code r} (whose columns are null when it is no replay); parameters {@code :time} and
     * {@code :now}. For a booking that announces itself in the same statement (a data-modifying
     * {@code WITH}), {@code u} is the row its {@code UPDATE} returned: a statement's sub-statements
     * all see the table as it was before the statement.
     */
    public static String uploadEventSql(NotificationType type, String rows) {
        // the id is PostgreSQL's: one event per row written, whatever the statement
        return """
                INSERT INTO notification_outbox (id, order_key, upload_id, user_id, type, payload, profile, created_at)
                SELECT CAST(payload ->> 'id' AS uuid), CAST(upload_id AS text), upload_id, user_id, type, payload, profile, :now
                  FROM (SELECT u.upload_id, u.user_id, u.profile, CAST('%s' AS text) AS type, %s AS payload
                          FROM %s) event""".formatted(type.wireName(), envelope(type, UPLOAD_DATA), rows);
    }

    /**
     * The statement that writes the event about a user's account: an {@code INSERT ... SELECT}
     * from {@code rows}, a {@code FROM} clause that names the account row {@code a}; parameters
     * {@code :time} and {@code :now}.
     */
    public static String userEventSql(NotificationType type, String rows) {
        return """
                INSERT INTO notification_outbox (id, order_key, user_id, type, payload, created_at)
                SELECT CAST(payload ->> 'id' AS uuid), 'user:' || user_id, user_id, type, payload, :now
                  FROM (SELECT a.user_id, CAST('%s' AS text) AS type, %s AS payload
                          FROM %s) event""".formatted(type.wireName(), envelope(type, """
                                json_build_object(
                                    'userId', a.user_id, 'blockedUntil', a.blocked_until,
                                    'blockedReason', a.blocked_reason, 'violations', a.violations)"""), rows);
    }

    /** The event about an upload, from its row as booked now. */
    public void upload(NotificationType type, UUID uploadId, Instant at) {
        replayOrUpload(type, uploadId, null, null, null, at);
    }

    /**
     * The rejection of an object written again with a spent URL: the upload's fields, with what
     * the replay booked (its size, {@code NO_RESERVATION}, deleted) and {@code "replay": true}.
     */
    public void replay(UUID uploadId, String bucket, String key, String eventKey, Instant at) {
        replayOrUpload(NotificationType.UPLOAD_REJECTED, uploadId, bucket, key, eventKey, at);
    }

    /** The event about a user's block, from their account row as booked now. */
    public void user(NotificationType type, String userId, Instant at) {
        db.sql(userEventSql(type, "accounts a WHERE a.user_id = :userId"))
                .param("time", at.toString())
                .param("now", timestamp(at))
                .param("userId", userId)
                .update();
    }

    private void replayOrUpload(
            NotificationType type, UUID uploadId, String bucket, String key, String eventKey, Instant at) {
        db.sql(uploadEventSql(type, """
                        uploads u
                          LEFT JOIN replayed_uploads r
                            ON r.bucket = :bucket AND r.object_key = :key AND r.event_key = :eventKey
                         WHERE u.upload_id = :uploadId"""))
                .param("time", at.toString())
                .param("now", timestamp(at))
                .param("bucket", bucket)
                .param("key", key)
                .param("eventKey", eventKey)
                .param("uploadId", uploadId)
                .update();
    }
}
