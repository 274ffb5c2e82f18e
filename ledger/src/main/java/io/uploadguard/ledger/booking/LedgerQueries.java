package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadWithAccount;
import io.uploadguard.ledger.notifications.BackendNotice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads of uploads and accounts: what the services look up, and the row locks that bookings and
 * admin changes start with (upload row first, then account row).
 */
public final class LedgerQueries {

    private final LedgerDatabase db;

    public LedgerQueries(LedgerDatabase db) {
        this.db = db;
    }

    /** The deliveries of an upload's notifications (its events share the upload id as order key). */
    BackendNotice backendNotice(UUID uploadId) {
        return db.sql("""
                        SELECT count(*) FILTER (WHERE d.status = 'DELIVERED') AS delivered,
                               count(*) FILTER (WHERE d.status = 'PENDING') AS pending,
                               count(*) FILTER (WHERE d.status = 'FAILED') AS failed,
                               max(d.delivered_at) AS last_delivered_at
                          FROM notification_outbox o
                          JOIN notification_deliveries d ON d.event_id = o.id
                         WHERE o.order_key = :orderKey""")
                .param("orderKey", uploadId.toString())
                .query((rs, row) -> new BackendNotice(
                        rs.getLong("delivered"),
                        rs.getLong("pending"),
                        rs.getLong("failed"),
                        LedgerRows.instant(rs, "last_delivered_at")))
                .single();
    }

    Optional<Upload> findUpload(UUID uploadId) {
        return db.sql("SELECT * FROM uploads WHERE upload_id = :uploadId")
                .param("uploadId", uploadId)
                .query(LedgerRows::upload)
                .optional();
    }

    /** The upload first written to this incoming key. */
    Optional<Upload> findByKey(String bucket, String key) {
        return byKey(bucket, key, "");
    }

    /**
     * {@link #findByKey} and its user's account in one statement (one round trip per object for
     * the enforcer, not two). The account's columns are read under an {@code account_} prefix,
     * since both tables have a {@code user_id} and a {@code created_at}.
     */
    Optional<UploadWithAccount> findByKeyWithAccount(String bucket, String key) {
        return db.sql("""
                        SELECT u.*,
                               a.user_id AS account_user_id, a.user_segment AS account_user_segment,
                               a.bytes_used AS account_bytes_used, a.objects_used AS account_objects_used,
                               a.bytes_reserved AS account_bytes_reserved,
                               a.objects_reserved AS account_objects_reserved,
                               a.violations AS account_violations, a.blocked_until AS account_blocked_until,
                               a.blocked_reason AS account_blocked_reason,
                               a.rate_window_start AS account_rate_window_start,
                               a.rate_window_count AS account_rate_window_count,
                               a.created_at AS account_created_at, a.updated_at AS account_updated_at
                          FROM uploads u LEFT JOIN accounts a ON a.user_id = u.user_id
                         WHERE u.bucket = :bucket AND u.object_key = :key""")
                .param("bucket", bucket)
                .param("key", key)
                .query((rs, row) -> new UploadWithAccount(
                        LedgerRows.upload(rs, row),
                        rs.getString("account_user_id") == null
                                ? Optional.empty()
                                : Optional.of(LedgerRows.account(rs, "account_"))))
                .optional();
    }

    /** {@link #findByKey}, with the row locked until the transaction ends. */
    Optional<Upload> lockByKey(String bucket, String key) {
        return byKey(bucket, key, " FOR UPDATE");
    }

    /** The upload with this id, locked until the transaction ends. */
    public Optional<Upload> lockUpload(UUID uploadId) {
        return db.sql("SELECT * FROM uploads WHERE upload_id = :uploadId FOR UPDATE")
                .param("uploadId", uploadId)
                .query(LedgerRows::upload)
                .optional();
    }

    /** The account of this user, locked until the transaction ends. */
    public Optional<Account> lockAccount(String userId) {
        return db.sql("SELECT * FROM accounts WHERE user_id = :userId FOR UPDATE")
                .param("userId", userId)
                .query(LedgerRows::account)
                .optional();
    }

    /** The upload whose object is now at this key (the newest, should several claim it). */
    Optional<Upload> findByCurrentKey(String bucket, String currentKey) {
        return db.sql("""
                        SELECT * FROM uploads WHERE bucket = :bucket AND current_key = :currentKey
                         ORDER BY created_at DESC LIMIT 1""")
                .param("bucket", bucket)
                .param("currentKey", currentKey)
                .query(LedgerRows::upload)
                .optional();
    }

    Optional<Account> account(String userId) {
        return db.sql("SELECT * FROM accounts WHERE user_id = :userId")
                .param("userId", userId)
                .query(LedgerRows::account)
                .optional();
    }

    private Optional<Upload> byKey(String bucket, String key, String lock) {
        return db.sql("SELECT * FROM uploads WHERE bucket = :bucket AND object_key = :key" + lock)
                .param("bucket", bucket)
                .param("key", key)
                .query(LedgerRows::upload)
                .optional();
    }

    /** See {@link QuotaLedger#history}. */
    List<Upload> history(String userId, int limit, Instant before) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be more than 0, was " + limit);
        }
        String sql = before == null
                ? "SELECT * FROM uploads WHERE user_id = :userId ORDER BY created_at DESC, upload_id LIMIT :limit"
                : """
                  SELECT * FROM uploads WHERE user_id = :userId AND created_at < :before
                   ORDER BY created_at DESC, upload_id LIMIT :limit""";
        JdbcClient.StatementSpec statement = db.sql(sql).param("userId", userId).param("limit", limit);
        if (before != null) {
            statement = statement.param("before", timestamp(micros(before)));
        }
        return statement.query(LedgerRows::upload).list();
    }
}
