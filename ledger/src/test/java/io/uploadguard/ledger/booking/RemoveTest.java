package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.books;
import static io.uploadguard.ledger.LedgerTests.counters;
import static io.uploadguard.ledger.LedgerTests.rejectDeleted;
import static io.uploadguard.ledger.LedgerTests.rejectQuarantined;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Books;
import io.uploadguard.ledger.LedgerTests.Counters;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.SettleOutcome.Settled;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class RemoveTest {

    private static QuotaLedger ledger;

    private final KeyLayout layout = KeyLayout.DEFAULT;
    private final Instant now = LedgerTests.now();
    private final Instant later = now.plusSeconds(60);
    private final String user = LedgerTests.newUser("remove");
    private final Quota quota = LedgerTests.ROOMY;

    @BeforeAll
    static void connect(QuotaLedger quotaLedger) {
        ledger = quotaLedger;
    }

    @Test
    void removingAnAcceptedObjectGivesItsBytesBackOnce() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        String served = layout.servedKey(upload.objectKey());
        ledger.accept(BUCKET, upload.objectKey(), 900, "image/png", "e", served, now);
        reserved(ledger, user, 10, quota, now);

        Upload removed = ledger.remove(BUCKET, served, later).orElseThrow();

        assertThat(removed.uploadId()).isEqualTo(upload.uploadId());
        assertThat(removed.status()).isEqualTo(UploadStatus.REMOVED);
        assertThat(removed.currentKey()).isNull();
        assertThat(removed.removedAt()).isEqualTo(later);
        assertThat(removed.realSize()).isEqualTo(900);
        assertThat(counters(ledger, user)).isEqualTo(new Counters(0, 0, 10, 1));

        Books before = books(ledger, user);
        assertThat(ledger.remove(BUCKET, served, later.plusSeconds(1))).isEmpty();
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void removingAReservedObjectReleasesTheReservationOnce() {
        Upload upload = reserved(ledger, user, 1000, quota, now);

        Upload removed = ledger.remove(BUCKET, upload.objectKey(), later).orElseThrow();

        assertThat(removed.status()).isEqualTo(UploadStatus.REMOVED);
        assertThat(removed.settledAt()).isNull();
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.bytesReserved()).isZero();
        assertThat(account.objectsReserved()).isZero();
        assertThat(account.bytesUsed()).isZero();

        Books before = books(ledger, user);
        assertThat(ledger.remove(BUCKET, upload.objectKey(), later.plusSeconds(1)))
                .isEmpty();
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void removalOfTheIncomingCopyAfterPromotionChangesNothing() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e", layout.servedKey(upload.objectKey()), now);
        Books before = books(ledger, user);

        assertThat(ledger.remove(BUCKET, upload.objectKey(), later)).isEmpty();
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void objectAcceptedInPlaceIsRemovedByItsIncomingKey() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e", upload.objectKey(), now);

        assertThat(ledger.remove(BUCKET, upload.objectKey(), later)).isPresent();
        assertThat(ledger.account(user).orElseThrow().bytesUsed()).isZero();
    }

    @Test
    void removingAQuarantinedObjectChangesNothing() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        String quarantined = layout.quarantineKey(upload.objectKey());
        rejectQuarantined(ledger, upload.objectKey(), List.of("TYPE_MISMATCH"), 1000, quarantined, quota, now);
        Books before = books(ledger, user);

        assertThat(ledger.remove(BUCKET, quarantined, later)).isEmpty();
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    /**
     * The enforcer deletes the incoming object when it promotes it, and the event for that deletion
     * can be booked before the verdict: the object must still be counted, once.
     */
    @Test
    void verdictBookedAfterTheIncomingDeletionStillCounts() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.remove(BUCKET, upload.objectKey(), now);

        SettleOutcome outcome = ledger.accept(
                BUCKET, upload.objectKey(), 1000, "image/png", "e", layout.servedKey(upload.objectKey()), later);

        assertThat(outcome).isInstanceOfSatisfying(Settled.class, settled -> {
            assertThat(settled.previous()).isEqualTo(UploadStatus.REMOVED);
            assertThat(settled.upload().status()).isEqualTo(UploadStatus.ACCEPTED);
            assertThat(settled.upload().removedAt()).isNull();
        });
        Account account = ledger.account(user).orElseThrow();
        assertThat(Counters.of(account)).isEqualTo(new Counters(1000, 1, 0, 0));
        Books before = books(ledger, user);
        assertThat(ledger.accept(
                                BUCKET,
                                upload.objectKey(),
                                1000,
                                "image/png",
                                "e",
                                layout.servedKey(upload.objectKey()),
                                later)
                        .changed())
                .isFalse();
        assertThat(books(ledger, user)).isEqualTo(before);

        // and the served copy's removal gives it back
        assertThat(ledger.remove(BUCKET, layout.servedKey(upload.objectKey()), later))
                .isPresent();
        assertThat(ledger.account(user).orElseThrow().bytesUsed()).isZero();
    }

    @Test
    void rejectionBookedAfterTheIncomingDeletionCountsTheViolation() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.remove(BUCKET, upload.objectKey(), now);

        SettleOutcome outcome = rejectDeleted(ledger, upload.objectKey(), List.of("TYPE_MISMATCH"), 1000, quota, later);

        assertThat(((Settled) outcome).previous()).isEqualTo(UploadStatus.REMOVED);
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.violations()).isEqualTo(1);
        assertThat(account.bytesReserved()).isZero();
        assertThat(account.objectsReserved()).isZero();
    }
}
