package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.textArray;
import static io.uploadguard.ledger.LedgerRows.timestamp;
import static io.uploadguard.ledger.booking.BookingArguments.requireReasons;
import static io.uploadguard.ledger.booking.BookingArguments.requireSize;

import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.booking.SettleOutcome.AlreadySettled;
import io.uploadguard.ledger.booking.SettleOutcome.Recorded;
import io.uploadguard.ledger.notifications.NotificationType;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Books objects that no reservation covers: written by something other than the signer, or written
 * again with a URL whose upload already has its verdict. Each charges its user a violation.
 */
class UnreservedBookings {

    private final Books books;

    UnreservedBookings(Books books) {
        this.books = books;
    }

    /** See {@link QuotaLedger#recordUnreserved}. */
    SettleOutcome recordUnreserved(
            String bucket,
            String key,
            Optional<String> userSegment,
            List<String> reasons,
            VerdictColumns verdict,
            Function<String, Quota> quotaForUser,
            Instant now) {
        requireReasons(reasons);
        requireSize(Objects.requireNonNull(verdict.realSize(), "realSize"));
        Objects.requireNonNull(quotaForUser, "quotaForUser");
        Instant at = micros(now);
        return books.db().inTransaction(tx -> {
            String userId = userSegment
                    .flatMap(segment -> books.db()
                            .sql("SELECT user_id FROM accounts WHERE user_segment = :segment")
                            .param("segment", segment)
                            .query(String.class)
                            .optional())
                    .orElse(null);
            Optional<Upload> inserted = verdict.bind(books.db().sql("""
                            INSERT INTO uploads (upload_id, user_id, bucket, object_key, current_key, status,
                                                 reasons, action, real_size, detected_type, etag,
                                                 created_at, settled_at)
                            VALUES (:uploadId, :userId, :bucket, :key, :currentKey, 'REJECTED',
                                    :reasons, :action, :realSize, :detectedType, :etag, :now, :now)
                            ON CONFLICT (bucket, object_key) DO NOTHING
                            RETURNING *"""))
                    .param("uploadId", UUID.randomUUID())
                    .param("userId", userId)
                    .param("bucket", bucket)
                    .param("key", key)
                    .param("reasons", textArray(reasons))
                    .param("now", timestamp(at))
                    .query(LedgerRows::upload)
                    .optional();
            if (inserted.isEmpty()) {
                return new AlreadySettled(books.queries().findByKey(bucket, key).orElseThrow());
            }
            books.outbox()
                    .upload(NotificationType.UPLOAD_REJECTED, inserted.get().uploadId(), at);
            if (userId == null) {
                return new Recorded(inserted.get(), false);
            }
            return new Recorded(inserted.get(), chargeViolation(userId, reasons, quotaForUser, at));
        });
    }

    /** See {@link QuotaLedger#recordReplay}. */
    Optional<ReplayBooking> recordReplay(
            String bucket,
            String key,
            String eventKey,
            VerdictColumns written,
            Function<String, Quota> quotaForUser,
            Instant now) {
        requireSize(Objects.requireNonNull(written.realSize(), "realSize"));
        Objects.requireNonNull(eventKey, "eventKey");
        Instant at = micros(now);
        List<String> reasons = List.of(Reason.NO_RESERVATION.name());
        return books.db().inTransaction(tx -> {
            // locked like every booking of an upload, so its events get their sequence in commit order
            Optional<Upload> original = books.queries().lockByKey(bucket, key);
            if (original.isEmpty()) {
                return Optional.empty();
            }
            String userId = original.get().userId();
            int inserted = books.db()
                    .sql("""
                            INSERT INTO replayed_uploads (bucket, object_key, event_key, upload_id, user_id,
                                                          real_size, etag, reasons, action, at)
                            VALUES (:bucket, :key, :eventKey, :uploadId, :userId, :realSize, :etag, :reasons,
                                    'DELETED', :now)
                            ON CONFLICT DO NOTHING""")
                    .param("bucket", bucket)
                    .param("key", key)
                    .param("eventKey", eventKey)
                    .param("uploadId", original.get().uploadId())
                    .param("userId", userId)
                    .param("realSize", written.realSize())
                    .param("etag", written.etag())
                    .param("reasons", textArray(reasons))
                    .param("now", timestamp(at))
                    .update();
            if (inserted == 1) {
                books.outbox().replay(original.get().uploadId(), bucket, key, eventKey, at);
            }
            if (inserted == 0 || userId == null) {
                return Optional.of(new ReplayBooking(original.get(), inserted == 1, false));
            }
            boolean blocked = chargeViolation(userId, reasons, quotaForUser, at);
            return Optional.of(new ReplayBooking(original.get(), true, blocked));
        });
    }

    /** Charges the violation and announces the block it caused, if any. */
    private boolean chargeViolation(
            String userId, List<String> reasons, Function<String, Quota> quotaForUser, Instant at) {
        boolean blocked =
                books.counters().chargeViolation(userId, Held.NOTHING, reasons, quotaForUser.apply(userId), at);
        if (blocked) {
            books.outbox().user(NotificationType.USER_BLOCKED, userId, at);
        }
        return blocked;
    }
}
