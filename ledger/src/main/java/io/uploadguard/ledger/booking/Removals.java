package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.notifications.NotificationType;
import java.time.Instant;
import java.util.Optional;

/** Books objects that are no longer there: vanished before inspection, or deleted. */
class Removals {

    private final Books books;

    Removals(Books books) {
        this.books = books;
    }

    /** See {@link QuotaLedger#markGone}. */
    boolean markGone(String bucket, String key, Instant now) {
        Instant at = micros(now);
        return books.db().inTransaction(tx -> {
            Optional<Upload> found = books.queries()
                    .lockByKey(bucket, key)
                    .filter(u -> u.status() == UploadStatus.RESERVED || u.status() == UploadStatus.EXPIRED);
            if (found.isEmpty()) {
                return false;
            }
            Upload upload = found.get();
            books.counters().release(upload.userId(), Held.by(upload), at);
            books.db()
                    .sql("""
                            UPDATE uploads SET status = 'GONE', current_key = NULL, settled_at = :now
                             WHERE upload_id = :uploadId""")
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .update();
            books.outbox().upload(NotificationType.UPLOAD_GONE, upload.uploadId(), at);
            return true;
        });
    }

    /** See {@link QuotaLedger#remove}. */
    Optional<Upload> remove(String bucket, String currentKey, Instant now) {
        Instant at = micros(now);
        return books.db().inTransaction(tx -> {
            Optional<Upload> found = books.db()
                    .sql("""
                            SELECT * FROM uploads
                             WHERE bucket = :bucket AND current_key = :currentKey
                               AND status IN ('ACCEPTED', 'RESERVED')
                             ORDER BY created_at DESC
                             LIMIT 1
                               FOR UPDATE""")
                    .param("bucket", bucket)
                    .param("currentKey", currentKey)
                    .query(LedgerRows::upload)
                    .optional();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Upload upload = found.get();
            if (upload.status() == UploadStatus.ACCEPTED) {
                books.counters().giveBackUsed(upload.userId(), upload.realSize(), at);
            } else {
                books.counters().release(upload.userId(), Held.by(upload), at);
            }
            Upload removed = books.db()
                    .sql("""
                            UPDATE uploads SET status = 'REMOVED', current_key = NULL, removed_at = :now
                             WHERE upload_id = :uploadId
                            RETURNING *""")
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .query(LedgerRows::upload)
                    .single();
            books.outbox().upload(NotificationType.UPLOAD_REMOVED, upload.uploadId(), at);
            return Optional.of(removed);
        });
    }
}
