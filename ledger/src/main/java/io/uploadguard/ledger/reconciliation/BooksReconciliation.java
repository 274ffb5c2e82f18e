package io.uploadguard.ledger.reconciliation;

import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.AccountCounters;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks the account counters against the upload rows they summarise, and on request sets them
 * back to those sums: the same idea as Ceph RGW's {@code user stats --sync-stats}. The counters are
 * an optimisation for the signer's hot path; the upload rows are the truth.
 *
 * <p>Expected values: bytes and objects used are the sums over ACCEPTED rows (an accepted object
 * that was deleted is REMOVED, so it no longer counts); bytes and objects reserved are the sums
 * over RESERVED rows.
 */
public class BooksReconciliation {

    /** One account whose counters differ from its rows. */
    public record AccountDrift(
            String userId,
            long bytesUsed,
            long expectedBytesUsed,
            long objectsUsed,
            long expectedObjectsUsed,
            long bytesReserved,
            long expectedBytesReserved,
            long objectsReserved,
            long expectedObjectsReserved) {}

    private static final String DRIFT = """
            WITH expected AS (
                SELECT a.user_id,
                       COALESCE(SUM(u.real_size) FILTER (WHERE u.status = 'ACCEPTED'), 0)     AS bytes_used,
                       COUNT(u.upload_id) FILTER (WHERE u.status = 'ACCEPTED')               AS objects_used,
                       COALESCE(SUM(u.declared_size) FILTER (WHERE u.status = 'RESERVED'), 0) AS bytes_reserved,
                       COUNT(u.upload_id) FILTER (WHERE u.status = 'RESERVED')               AS objects_reserved
                FROM accounts a LEFT JOIN uploads u ON u.user_id = a.user_id
                GROUP BY a.user_id)
            SELECT a.user_id, a.bytes_used, e.bytes_used AS expected_bytes_used,
                   a.objects_used, e.objects_used AS expected_objects_used,
                   a.bytes_reserved, e.bytes_reserved AS expected_bytes_reserved,
                   a.objects_reserved, e.objects_reserved AS expected_objects_reserved
            FROM accounts a JOIN expected e ON e.user_id = a.user_id
            WHERE (a.bytes_used, a.objects_used, a.bytes_reserved, a.objects_reserved)
               <> (e.bytes_used, e.objects_used, e.bytes_reserved, e.objects_reserved)
            ORDER BY a.user_id
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate serializable;
    private final AccountCounters counters;

    public BooksReconciliation(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.serializable = new TransactionTemplate(transactionManager);
        this.counters = new AccountCounters(jdbc);
        // a repair must not interleave with bookings: under SERIALIZABLE one of them fails and retries
        this.serializable.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
    }

    public List<AccountDrift> drift() {
        return jdbc.sql(DRIFT)
                .query((rs, n) -> new AccountDrift(
                        rs.getString("user_id"),
                        rs.getLong("bytes_used"),
                        rs.getLong("expected_bytes_used"),
                        rs.getLong("objects_used"),
                        rs.getLong("expected_objects_used"),
                        rs.getLong("bytes_reserved"),
                        rs.getLong("expected_bytes_reserved"),
                        rs.getLong("objects_reserved"),
                        rs.getLong("expected_objects_reserved")))
                .list();
    }

    /**
     * Sets every drifted account's counters to the sums of its rows, with one {@code REPAIR} audit row
     * per account (by {@code actor}, the before and after counters); returns the accounts repaired.
     */
    public List<AccountDrift> syncStats(String actor, Instant at) {
        for (int attempt = 1; ; attempt++) {
            try {
                return serializable.execute(status -> {
                    List<AccountDrift> drifted = drift();
                    for (AccountDrift d : drifted) {
                        counters.overwrite(
                                d.userId(),
                                d.expectedBytesUsed(),
                                d.expectedObjectsUsed(),
                                d.expectedBytesReserved(),
                                d.expectedObjectsReserved());
                        // in the same transaction: no counter changes without who changed it
                        jdbc.sql("""
                                INSERT INTO audit_log (at, actor, action, user_id, reason, details)
                                VALUES (?, ?, 'REPAIR', ?, 'reconciliation repair: counters set to the sums of the upload rows',
                                        jsonb_build_object(
                                            'before', jsonb_build_object('bytesUsed', CAST(? AS bigint),
                                                'objectsUsed', CAST(? AS bigint), 'bytesReserved', CAST(? AS bigint),
                                                'objectsReserved', CAST(? AS bigint)),
                                            'after', jsonb_build_object('bytesUsed', CAST(? AS bigint),
                                                'objectsUsed', CAST(? AS bigint), 'bytesReserved', CAST(? AS bigint),
                                                'objectsReserved', CAST(? AS bigint))))""")
                                .params(
                                        LedgerRows.timestamp(at),
                                        actor,
                                        d.userId(),
                                        d.bytesUsed(),
                                        d.objectsUsed(),
                                        d.bytesReserved(),
                                        d.objectsReserved(),
                                        d.expectedBytesUsed(),
                                        d.expectedObjectsUsed(),
                                        d.expectedBytesReserved(),
                                        d.expectedObjectsReserved())
                                .update();
                    }
                    return drifted;
                });
            } catch (ConcurrencyFailureException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * One page of the upload rows whose object should be at a key under {@code prefix} now, in the
     * order S3 lists keys (bytewise, {@code COLLATE "C"}), then by upload id: the page after
     * ({@code afterKey}, {@code afterUploadId}), or the first page when {@code afterKey} is null.
     */
    public List<CurrentObject> currentObjectsUnder(
            String bucket, String prefix, String afterKey, java.util.UUID afterUploadId, int limit) {
        return jdbc.sql("""
                SELECT upload_id, status, current_key FROM uploads
                WHERE bucket = :bucket AND current_key LIKE :prefix ESCAPE '\\'
                  AND (CAST(:afterKey AS text) IS NULL
                       OR (current_key COLLATE "C", upload_id) > (CAST(:afterKey AS text) COLLATE "C", CAST(:afterId AS uuid)))
                ORDER BY current_key COLLATE "C", upload_id
                LIMIT :limit""")
                .param("bucket", bucket)
                .param(
                        "prefix",
                        prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .param("afterKey", afterKey)
                .param("afterId", afterUploadId)
                .param("limit", limit)
                .query((rs, n) -> new CurrentObject(
                        rs.getObject("upload_id", UUID.class),
                        UploadStatus.valueOf(rs.getString("status")),
                        rs.getString("current_key")))
                .list();
    }

    /** Where the ledger says an upload's object is now. */
    public record CurrentObject(UUID uploadId, UploadStatus status, String currentKey) {}
}
