package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.booking.ReserveOutcome.Blocked;
import io.uploadguard.ledger.booking.ReserveOutcome.QuotaExceeded;
import io.uploadguard.ledger.booking.ReserveOutcome.RateLimited;
import io.uploadguard.ledger.booking.ReserveOutcome.Reserved;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.QuotaKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Holds declared sizes against quotas before the signer signs a URL. */
class Reservations {

    private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

    private final LedgerDatabase db;

    Reservations(LedgerDatabase db) {
        this.db = db;
    }

    /** See {@link QuotaLedger#reserve}. */
    ReserveOutcome reserve(ReservationRequest request, Quota quota, Instant now) {
        Instant at = micros(now);
        // one statement, so one round trip: the checks and the booking run in reserve_upload (V4, V6)
        return db.sql("""
                        SELECT * FROM reserve_upload(:uploadId, :userId, :segment, :profile, :bucket, :key,
                                                     :contentType, :size, :checksum, :filename,
                                                     CAST(:now AS timestamptz), CAST(:expiresAt AS timestamptz),
                                                     :maxBytes, :maxObjects, :maxPerMinute, :clientReference)""")
                .param("uploadId", request.uploadId())
                .param("userId", request.userId())
                .param("segment", KeyLayout.userSegment(request.userId()))
                .param("profile", request.profile())
                .param("bucket", request.bucket())
                .param("key", request.key())
                .param("contentType", request.contentType())
                .param("size", request.size())
                .param("checksum", request.checksumSha256())
                .param("filename", request.filename())
                .param("now", timestamp(at))
                .param("expiresAt", timestamp(micros(request.expiresAt())))
                .param("maxBytes", quota.maxBytes())
                .param("maxObjects", quota.maxObjects())
                .param("maxPerMinute", quota.maxSignedUrlsPerMinute())
                .param("clientReference", request.clientReference())
                .query((rs, row) -> outcome(rs, request, at))
                .single();
    }

    /** The outcome {@code reserve_upload} (V4) or {@code reserve_uploads} (V9) answered in the current row. */
    static ReserveOutcome outcome(ResultSet rs, ReservationRequest request, Instant now) throws SQLException {
        String outcome = rs.getString("outcome");
        switch (outcome) {
            case "RESERVED":
                return new Reserved(LedgerRows.upload(rs, 0));
            case "OTHER_USER":
                throw new IllegalArgumentException("upload id " + request.uploadId() + " is another user's");
            case "BLOCKED":
                return new Blocked(
                        rs.getObject("refused_until", OffsetDateTime.class).toInstant(), rs.getString("refused_why"));
            case "RATE_LIMITED":
                Instant windowEnds =
                        rs.getObject("refused_until", OffsetDateTime.class).toInstant();
                return new RateLimited(retryAfter(Duration.between(now, windowEnds)));
            case "QUOTA_BYTES":
                return new QuotaExceeded(QuotaKind.BYTES, rs.getLong("quota_limit"), rs.getLong("would_be"));
            case "QUOTA_OBJECTS":
                return new QuotaExceeded(QuotaKind.OBJECTS, rs.getLong("quota_limit"), rs.getLong("would_be"));
            default:
                throw new IllegalStateException("reserve_upload answered " + outcome);
        }
    }

    private static Duration retryAfter(Duration untilWindowEnds) {
        // Retry-After is in whole seconds: round up, so a client that waits that long gets in
        long seconds = (untilWindowEnds.toNanos() + 999_999_999L) / 1_000_000_000L;
        Duration rounded = Duration.ofSeconds(seconds);
        return rounded.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : rounded;
    }
}
