package io.uploadguard.ledger;

import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.booking.SettleOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What ledger tests build their cases from, in one place: users, quotas, requests, reservations and
 * verdicts as the signer and the enforcer book them. The database comes from {@link
 * LedgerDatabaseExtension}.
 */
public final class LedgerTests {

    public static final String BUCKET = "ledger-tests";
    public static final String PNG = "image/png";

    /** Room for every test's uploads, blocking at the third violation. */
    public static final Quota ROOMY = new Quota(1_000_000, 100, 1000, 3, Duration.ofHours(1));

    private LedgerTests() {}

    /** Now, cut to PostgreSQL's precision, so what is read back equals what was written. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    public static String newUser(String label) {
        return label + "-" + UUID.randomUUID();
    }

    public static Quota quota(long maxBytes, long maxObjects) {
        return new Quota(maxBytes, maxObjects, 1000, 3, Duration.ofHours(1));
    }

    public static ReservationRequest request(String userId, long size, Instant expiresAt) {
        return new ReservationRequest(
                UUID.randomUUID(),
                userId,
                "avatar",
                BUCKET,
                KeyLayout.DEFAULT.newIncomingKey(userId, PNG),
                PNG,
                size,
                null,
                "me.png",
                expiresAt);
    }

    /** Reserves and returns the upload, failing the test if the ledger refused. */
    public static Upload reserved(QuotaLedger ledger, String userId, long size, Quota quota, Instant now) {
        ReserveOutcome outcome = ledger.reserve(request(userId, size, now.plus(Duration.ofMinutes(5))), quota, now);
        if (!(outcome instanceof ReserveOutcome.Reserved reserved)) {
            throw new AssertionError("expected a reservation, got " + outcome);
        }
        return reserved.upload();
    }

    /** Books the object at {@code key} as rejected and deleted, as the enforcer does with a disguised file. */
    public static SettleOutcome rejectDeleted(
            QuotaLedger ledger, String key, List<String> reasons, long realSize, Quota quota, Instant at) {
        return ledger.reject(BUCKET, key, reasons, realSize, "text/html", "e", UploadAction.DELETED, null, quota, at);
    }

    /** Books the object at {@code key} as rejected and moved to {@code quarantineKey}. */
    public static SettleOutcome rejectQuarantined(
            QuotaLedger ledger,
            String key,
            List<String> reasons,
            long realSize,
            String quarantineKey,
            Quota quota,
            Instant at) {
        return ledger.reject(
                BUCKET, key, reasons, realSize, "text/html", "e", UploadAction.QUARANTINED, quarantineKey, quota, at);
    }

    /** A user's four counters, to check them in one assertion. */
    public record Counters(long bytesUsed, long objectsUsed, long bytesReserved, long objectsReserved) {

        public static Counters of(Account account) {
            return new Counters(
                    account.bytesUsed(), account.objectsUsed(), account.bytesReserved(), account.objectsReserved());
        }
    }

    /** The counters of a user the ledger knows (fails the test for one it does not). */
    public static Counters counters(QuotaLedger ledger, String userId) {
        return Counters.of(ledger.account(userId).orElseThrow(() -> new AssertionError("no account for " + userId)));
    }

    /** Everything the ledger holds about a user, to compare before and after a call. */
    public static Books books(QuotaLedger ledger, String userId) {
        return new Books(ledger.account(userId), ledger.history(userId, 10_000, null));
    }

    public record Books(Optional<Account> account, List<Upload> uploads) {}
}
