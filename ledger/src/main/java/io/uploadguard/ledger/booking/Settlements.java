package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.textArray;
import static io.uploadguard.ledger.LedgerRows.timestamp;
import static io.uploadguard.ledger.booking.BookingArguments.requireReasons;
import static io.uploadguard.ledger.booking.BookingArguments.requireSize;

import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.booking.SettleOutcome.AlreadySettled;
import io.uploadguard.ledger.booking.SettleOutcome.NoUploadAtKey;
import io.uploadguard.ledger.booking.SettleOutcome.Settled;
import io.uploadguard.ledger.notifications.NotificationType;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Books the verdicts on reserved uploads: accepted or rejected. A booked verdict is final. */
class Settlements {

    private final Books books;

    Settlements(Books books) {
        this.books = books;
    }

    /** See {@link QuotaLedger#accept}. */
    SettleOutcome accept(String bucket, String key, VerdictColumns verdict, Instant now) {
        long realSize = Objects.requireNonNull(verdict.realSize(), "realSize");
        requireSize(realSize);
        Instant at = micros(now);
        return settleAwaiting(bucket, key, upload -> {
            books.counters().accept(upload.userId(), Held.by(upload), realSize, at);
            Upload settled = verdict.bind(books.db().sql("""
                            UPDATE uploads
                               SET status = 'ACCEPTED', action = :action, real_size = :realSize,
                                   detected_type = :detectedType, etag = :etag, current_key = :currentKey,
                                   settled_at = :now, removed_at = NULL
                             WHERE upload_id = :uploadId
                            RETURNING *"""))
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .query(LedgerRows::upload)
                    .single();
            books.outbox().upload(NotificationType.UPLOAD_ACCEPTED, upload.uploadId(), at);
            return new Settled(settled, upload.status(), false);
        });
    }

    /** See {@link QuotaLedger#reject}. */
    SettleOutcome reject(
            String bucket, String key, List<String> reasons, VerdictColumns verdict, Quota quota, Instant now) {
        requireReasons(reasons);
        Objects.requireNonNull(quota, "quota");
        if (verdict.realSize() != null) {
            requireSize(verdict.realSize());
        }
        Instant at = micros(now);
        return settleAwaiting(bucket, key, upload -> {
            boolean blocked = books.counters().chargeViolation(upload.userId(), Held.by(upload), reasons, quota, at);
            Upload settled = verdict.bind(books.db().sql("""
                            UPDATE uploads
                               SET status = 'REJECTED', reasons = :reasons, action = :action,
                                   real_size = :realSize, detected_type = :detectedType, etag = :etag,
                                   current_key = :currentKey, settled_at = :now
                             WHERE upload_id = :uploadId
                            RETURNING *"""))
                    .param("reasons", textArray(reasons))
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .query(LedgerRows::upload)
                    .single();
            books.outbox().upload(NotificationType.UPLOAD_REJECTED, upload.uploadId(), at);
            if (blocked) {
                books.outbox().user(NotificationType.USER_BLOCKED, upload.userId(), at);
            }
            return new Settled(settled, upload.status(), blocked);
        });
    }

    /**
     * Runs {@code settle} in a transaction on the upload of this key, locked, if it still awaits
     * its verdict; a booked verdict is final, so a repeated call changes nothing.
     */
    private SettleOutcome settleAwaiting(String bucket, String key, Function<Upload, SettleOutcome> settle) {
        return books.db().inTransaction(tx -> {
            Optional<Upload> found = books.queries().lockByKey(bucket, key);
            if (found.isEmpty()) {
                return new NoUploadAtKey(bucket, key);
            }
            Upload upload = found.get();
            return upload.awaitsVerdict() ? settle.apply(upload) : new AlreadySettled(upload);
        });
    }
}
