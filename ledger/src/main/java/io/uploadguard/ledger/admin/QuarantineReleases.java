package io.uploadguard.ledger.admin;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.admin.ReleaseOutcome.AlreadyReleased;
import io.uploadguard.ledger.admin.ReleaseOutcome.NoOwner;
import io.uploadguard.ledger.admin.ReleaseOutcome.NoUploadToRelease;
import io.uploadguard.ledger.admin.ReleaseOutcome.NotReleasable;
import io.uploadguard.ledger.admin.ReleaseOutcome.OverQuota;
import io.uploadguard.ledger.admin.ReleaseOutcome.Released;
import io.uploadguard.ledger.notifications.NotificationType;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.QuotaKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Books quarantined objects as accepted when an operator releases them, within quota or forced. */
class QuarantineReleases {

    private final AuditedBooks books;

    QuarantineReleases(AuditedBooks books) {
        this.books = books;
    }

    /** See {@link AdminLedger#releaseQuarantined}. */
    ReleaseOutcome release(UUID uploadId, String servedKey, boolean force, Quota quota, Operator by) {
        return books.db().inTransaction(tx -> releaseLocked(uploadId, servedKey, force, quota, by));
    }

    /** See {@link AdminLedger#previewRelease}: the same code in a transaction that is rolled back. */
    ReleaseOutcome preview(UUID uploadId, String servedKey, boolean force, Quota quota, Operator by) {
        return books.db().inTransaction(tx -> {
            tx.setRollbackOnly();
            return releaseLocked(uploadId, servedKey, force, quota, by);
        });
    }

    private ReleaseOutcome releaseLocked(UUID uploadId, String servedKey, boolean force, Quota quota, Operator by) {
        Optional<Upload> found = books.queries().lockUpload(uploadId);
        if (found.isEmpty()) {
            return new NoUploadToRelease(uploadId);
        }
        Upload upload = found.get();
        if (upload.status() == UploadStatus.ACCEPTED && books.audit().wasReleased(uploadId)) {
            return new AlreadyReleased(upload);
        }
        if (!upload.inQuarantine()) {
            return new NotReleasable(upload);
        }
        if (upload.userId() == null) {
            return new NoOwner(upload);
        }
        long size = Objects.requireNonNull(upload.realSize(), "a quarantined object was measured");
        Account account = books.queries().lockAccount(upload.userId()).orElseThrow();
        long bytesWouldBe = saturatedSum(account.bytesUsed(), account.bytesReserved(), size);
        long objectsWouldBe = saturatedSum(account.objectsUsed(), account.objectsReserved(), 1);
        boolean overBytes = bytesWouldBe > quota.maxBytes();
        boolean overObjects = objectsWouldBe > quota.maxObjects();
        if (!force && overBytes) {
            return new OverQuota(upload, QuotaKind.BYTES, quota.maxBytes(), bytesWouldBe);
        }
        if (!force && overObjects) {
            return new OverQuota(upload, QuotaKind.OBJECTS, quota.maxObjects(), objectsWouldBe);
        }
        Account after = books.counters().addUsed(upload.userId(), size, by.at()).orElseThrow();
        // the rejection's reasons and time stay on the row: they say what the operator overrode
        Upload released = books.db()
                .sql("""
                        UPDATE uploads SET status = 'ACCEPTED', action = 'PROMOTED', current_key = :servedKey
                         WHERE upload_id = :uploadId
                        RETURNING *""")
                .param("servedKey", servedKey)
                .param("uploadId", uploadId)
                .query(LedgerRows::upload)
                .single();
        boolean forced = overBytes || overObjects;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("quarantineKey", upload.currentKey());
        details.put("servedKey", servedKey);
        details.put("realSize", size);
        details.put("reasons", upload.reasons());
        details.put("force", force);
        details.put("overQuota", forced);
        books.audit().write(AdminAction.RELEASE, upload.userId(), uploadId, by, details);
        books.outbox().upload(NotificationType.UPLOAD_RELEASED, uploadId, by.at());
        return new Released(released, after, forced);
    }

    private static long saturatedSum(long a, long b, long c) {
        try {
            return Math.addExact(Math.addExact(a, b), c);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
