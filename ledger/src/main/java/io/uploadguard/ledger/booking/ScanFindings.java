package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.textArray;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the malware scan leaves in the books besides the verdict's reasons: the signature names of
 * an infected object, and since when an object waits for an unreachable scanner. Neither touches a
 * counter: the hold keeps the reservation as it is, and the verdict is booked by {@link Settlements}.
 */
class ScanFindings {

    private final Books books;

    ScanFindings(Books books) {
        this.books = books;
    }

    /** See {@link QuotaLedger#markScanPending}. */
    Optional<Instant> markScanPending(String bucket, String key, Instant now) {
        return books.db()
                .sql("""
                        INSERT INTO upload_scans (upload_id, pending_since)
                        SELECT upload_id, :now FROM uploads
                         WHERE bucket = :bucket AND object_key = :key AND settled_at IS NULL
                        ON CONFLICT (upload_id) DO UPDATE
                           SET pending_since = COALESCE(upload_scans.pending_since, EXCLUDED.pending_since)
                        RETURNING pending_since""")
                .param("now", timestamp(micros(now)))
                .param("bucket", bucket)
                .param("key", key)
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** See {@link QuotaLedger#recordScanSignatures}. */
    boolean recordScanSignatures(String bucket, String key, List<String> signatures) {
        return books.db()
                        .sql("""
                                INSERT INTO upload_scans (upload_id, signatures)
                                SELECT upload_id, :signatures FROM uploads
                                 WHERE bucket = :bucket AND object_key = :key
                                ON CONFLICT (upload_id) DO UPDATE SET signatures = EXCLUDED.signatures""")
                        .param("signatures", textArray(signatures))
                        .param("bucket", bucket)
                        .param("key", key)
                        .update()
                > 0;
    }

    /** See {@link QuotaLedger#scanPendingSince}. */
    Optional<Instant> scanPendingSince(UUID uploadId) {
        return books.db()
                .sql("SELECT pending_since FROM upload_scans WHERE upload_id = :uploadId AND pending_since IS NOT NULL")
                .param("uploadId", uploadId)
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** See {@link QuotaLedger#scanSignatures}. */
    List<String> scanSignatures(UUID uploadId) {
        return books.db()
                .sql("SELECT signatures FROM upload_scans WHERE upload_id = :uploadId")
                .param("uploadId", uploadId)
                .query((rs, n) -> strings(rs.getArray(1)))
                .optional()
                .orElse(List.of());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
