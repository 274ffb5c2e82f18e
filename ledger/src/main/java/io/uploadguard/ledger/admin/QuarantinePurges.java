package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.notifications.NotificationType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Books quarantined objects as purged, before the caller deletes them. */
class QuarantinePurges {

    private final AuditedBooks books;

    QuarantinePurges(AuditedBooks books) {
        this.books = books;
    }

    /** See {@link AdminLedger#purgeQuarantined}. */
    PurgeOutcome purge(UUID uploadId, Operator by) {
        return books.db().inTransaction(tx -> {
            Optional<Upload> found = books.queries().lockUpload(uploadId);
            if (found.isEmpty()) {
                return new PurgeOutcome.NoUploadToPurge(uploadId);
            }
            Upload upload = found.get();
            if (upload.action() == UploadAction.PURGED) {
                return new PurgeOutcome.AlreadyPurged(upload);
            }
            if (!upload.inQuarantine()) {
                return new PurgeOutcome.NotPurgeable(upload);
            }
            Upload purged = books.db()
                    .sql("""
                            UPDATE uploads SET action = 'PURGED', current_key = NULL, removed_at = :now
                             WHERE upload_id = :uploadId
                            RETURNING *""")
                    .param("now", timestamp(by.at()))
                    .param("uploadId", uploadId)
                    .query(LedgerRows::upload)
                    .single();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("quarantineKey", upload.currentKey());
            details.put("realSize", upload.realSize());
            details.put("reasons", upload.reasons());
            details.put("detectedType", upload.detectedType());
            details.put("declaredType", upload.declaredType());
            books.audit().write(AdminAction.PURGE, upload.userId(), uploadId, by, details);
            books.outbox().upload(NotificationType.UPLOAD_PURGED, uploadId, by.at());
            return new PurgeOutcome.Purged(purged, upload.currentKey());
        });
    }
}
