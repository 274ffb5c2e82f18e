package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.books;
import static io.uploadguard.ledger.LedgerTests.quota;
import static io.uploadguard.ledger.LedgerTests.rejectDeleted;
import static io.uploadguard.ledger.LedgerTests.rejectQuarantined;
import static io.uploadguard.ledger.LedgerTests.request;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Books;
import io.uploadguard.ledger.LedgerTests.Counters;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.UploadWithAccount;
import io.uploadguard.ledger.booking.ReserveOutcome.Blocked;
import io.uploadguard.ledger.booking.SettleOutcome.AlreadySettled;
import io.uploadguard.ledger.booking.SettleOutcome.NoUploadAtKey;
import io.uploadguard.ledger.booking.SettleOutcome.Recorded;
import io.uploadguard.ledger.booking.SettleOutcome.Settled;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class SettlementTest {

    private static final List<String> MISMATCH = List.of(Reason.TYPE_MISMATCH.name(), Reason.SIZE_MISMATCH.name());
    private static final List<String> UNRESERVED = List.of(Reason.NO_RESERVATION.name());

    private static QuotaLedger ledger;

    private final KeyLayout layout = KeyLayout.DEFAULT;
    private final Instant now = LedgerTests.now();
    private final Instant later = now.plusSeconds(30);
    private final String user = LedgerTests.newUser("settle");
    private final Quota quota = LedgerTests.ROOMY;

    @BeforeAll
    static void connect(QuotaLedger quotaLedger) {
        ledger = quotaLedger;
    }

    @Test
    void acceptMovesTheReservationToUsed() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        String served = layout.servedKey(upload.objectKey());

        SettleOutcome outcome = ledger.accept(BUCKET, upload.objectKey(), 990, "image/png", "etag-1", served, later);

        assertThat(outcome).isInstanceOfSatisfying(Settled.class, settled -> {
            assertThat(settled.previous()).isEqualTo(UploadStatus.RESERVED);
            assertThat(settled.userBlocked()).isFalse();
            Upload accepted = settled.upload();
            assertThat(accepted.status()).isEqualTo(UploadStatus.ACCEPTED);
            assertThat(accepted.realSize()).isEqualTo(990);
            assertThat(accepted.detectedType()).isEqualTo("image/png");
            assertThat(accepted.etag()).isEqualTo("etag-1");
            assertThat(accepted.currentKey()).isEqualTo(served);
            assertThat(accepted.objectKey()).isEqualTo(upload.objectKey());
            assertThat(accepted.action()).isEqualTo(UploadAction.PROMOTED);
            assertThat(accepted.settledAt()).isEqualTo(later);
        });
        assertThat(outcome.changed()).isTrue();
        assertThat(ledger.findByCurrentKey(BUCKET, served)).isEqualTo(outcome.resulting());
        Account account = ledger.account(user).orElseThrow();
        assertThat(Counters.of(account)).isEqualTo(new Counters(990, 1, 0, 0));
        assertThat(account.updatedAt()).isEqualTo(later);
    }

    @Test
    void acceptTwiceChangesNothing() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        String served = layout.servedKey(upload.objectKey());
        SettleOutcome first = ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e", served, now);
        Books before = books(ledger, user);

        SettleOutcome second = ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e", served, later);

        assertThat(second).isEqualTo(new AlreadySettled(first.resulting().orElseThrow()));
        assertThat(second.changed()).isFalse();
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void acceptOfAnUnknownKeyFindsNothing() {
        String key = layout.newIncomingKey(user, "image/png");

        assertThat(ledger.accept(BUCKET, key, 1, "image/png", "e", key, now)).isEqualTo(new NoUploadAtKey(BUCKET, key));
        assertThat(ledger.findByKey(BUCKET, key)).isEmpty();
    }

    @Test
    void rejectReleasesTheReservationAndCountsAViolation() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        String quarantined = layout.quarantineKey(upload.objectKey());

        SettleOutcome outcome =
                rejectQuarantined(ledger, upload.objectKey(), MISMATCH, 1000, quarantined, quota, later);

        assertThat(outcome).isInstanceOfSatisfying(Settled.class, settled -> {
            assertThat(settled.previous()).isEqualTo(UploadStatus.RESERVED);
            assertThat(settled.userBlocked()).isFalse();
            assertThat(settled.upload().status()).isEqualTo(UploadStatus.REJECTED);
            assertThat(settled.upload().reasons()).isEqualTo(MISMATCH);
            assertThat(settled.upload().action()).isEqualTo(UploadAction.QUARANTINED);
            assertThat(settled.upload().currentKey()).isEqualTo(quarantined);
            assertThat(settled.upload().detectedType()).isEqualTo("text/html");
            assertThat(settled.upload().settledAt()).isEqualTo(later);
        });
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.bytesReserved()).isZero();
        assertThat(account.objectsReserved()).isZero();
        assertThat(account.bytesUsed()).isZero();
        assertThat(account.violations()).isEqualTo(1);
        assertThat(account.blockedUntil()).isNull();
    }

    @Test
    void rejectTwiceChangesNothing() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        rejectDeleted(ledger, upload.objectKey(), MISMATCH, 1000, quota, now);
        Books before = books(ledger, user);

        SettleOutcome second = rejectDeleted(ledger, upload.objectKey(), MISMATCH, 1000, quota, later);

        assertThat(second).isInstanceOf(AlreadySettled.class);
        assertThat(books(ledger, user)).isEqualTo(before);
        assertThat(before.account().orElseThrow().violations()).isEqualTo(1);
    }

    @Test
    void rejectAfterAcceptChangesNothing() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e", layout.servedKey(upload.objectKey()), now);
        Books before = books(ledger, user);

        SettleOutcome outcome = rejectDeleted(ledger, upload.objectKey(), MISMATCH, 1000, quota, later);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        AlreadySettled.class,
                        already -> assertThat(already.upload().status()).isEqualTo(UploadStatus.ACCEPTED));
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void violationsBlockTheUserAtTheThreshold() {
        for (int violation = 1; violation <= 3; violation++) {
            Upload upload = reserved(ledger, user, 100, quota, now);
            SettleOutcome outcome = rejectDeleted(ledger, upload.objectKey(), MISMATCH, 100, quota, now);

            boolean atThreshold = violation == 3;
            assertThat(((Settled) outcome).userBlocked())
                    .as("blocked after %d", violation)
                    .isEqualTo(atThreshold);
            Account account = ledger.account(user).orElseThrow();
            assertThat(account.violations()).isEqualTo(violation);
            assertThat(account.isBlocked(now)).as("blocked after %d", violation).isEqualTo(atThreshold);
        }
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.blockedUntil()).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(account.blockedReason()).isEqualTo("3 violations, the last: TYPE_MISMATCH, SIZE_MISMATCH");
        assertThat(account.bytesReserved()).isZero();

        ReserveOutcome refused = ledger.reserve(request(user, 1, now.plusSeconds(300)), quota, later);
        assertThat(refused).isEqualTo(new Blocked(now.plus(Duration.ofHours(1)), account.blockedReason()));
    }

    @Test
    void unreservedObjectIsChargedToTheUserWhoseSegmentItCarries() {
        reserved(ledger, user, 100, quota, now);
        String key = layout.newIncomingKey(user, "text/html");
        String quarantined = layout.quarantineKey(key);

        SettleOutcome outcome = ledger.recordUnreserved(
                BUCKET,
                key,
                layout.userSegmentOf(key),
                UNRESERVED,
                4096,
                "text/html",
                "e",
                UploadAction.QUARANTINED,
                quarantined,
                id -> quota,
                later);

        assertThat(outcome).isInstanceOfSatisfying(Recorded.class, recorded -> {
            assertThat(recorded.userBlocked()).isFalse();
            Upload upload = recorded.upload();
            assertThat(upload.userId()).isEqualTo(user);
            assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
            assertThat(upload.reasons()).containsExactly("NO_RESERVATION");
            assertThat(upload.objectKey()).isEqualTo(key);
            assertThat(upload.currentKey()).isEqualTo(quarantined);
            assertThat(upload.realSize()).isEqualTo(4096);
            assertThat(upload.declaredSize()).isNull();
            assertThat(upload.expiresAt()).isNull();
            assertThat(upload.settledAt()).isEqualTo(later);
        });
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.violations()).isEqualTo(1);
        assertThat(account.bytesReserved()).isEqualTo(100);
        assertThat(account.bytesUsed()).isZero();
    }

    @Test
    void recordUnreservedTwiceChangesNothing() {
        reserved(ledger, user, 100, quota, now);
        String key = layout.newIncomingKey(user, "image/png");
        SettleOutcome first = recordUnreserved(key, layout.userSegmentOf(key), id -> quota, now);
        Books before = books(ledger, user);

        SettleOutcome second = recordUnreserved(key, layout.userSegmentOf(key), id -> quota, later);

        assertThat(second).isEqualTo(new AlreadySettled(((Recorded) first).upload()));
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void unreservedObjectsBlockAtTheThresholdToo() {
        reserved(ledger, user, 100, quota, now);
        Quota blockOnFirst = new Quota(1_000_000, 100, 1000, 1, Duration.ofMinutes(10));
        String key = layout.newIncomingKey(user, "image/png");

        SettleOutcome outcome =
                recordUnreserved(key, layout.userSegmentOf(key), id -> id.equals(user) ? blockOnFirst : quota, now);

        assertThat(((Recorded) outcome).userBlocked()).isTrue();
        assertThat(ledger.account(user).orElseThrow().blockedUntil()).isEqualTo(now.plus(Duration.ofMinutes(10)));
    }

    @Test
    void unreservedObjectOfNobodyWeKnowIsRecordedForNobody() {
        String stranger = LedgerTests.newUser("stranger");
        String key = layout.newIncomingKey(stranger, "image/png");

        SettleOutcome outcome = recordUnreserved(key, layout.userSegmentOf(key), id -> quota, now);
        SettleOutcome noSegment = recordUnreserved("incoming/loose.png", Optional.empty(), id -> quota, now);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Recorded.class,
                        recorded -> assertThat(recorded.upload().userId()).isNull());
        assertThat(noSegment.resulting().orElseThrow().objectKey()).isEqualTo("incoming/loose.png");
        assertThat(noSegment.resulting().orElseThrow().userId()).isNull();
        assertThat(ledger.account(stranger)).isEmpty();
        assertThat(ledger.findByKey(BUCKET, key)).isEqualTo(outcome.resulting());
        assertThat(ledger.findByKeyWithAccount(BUCKET, key))
                .contains(new UploadWithAccount(outcome.resulting().orElseThrow(), Optional.empty()));
    }

    @Test
    void markGoneReleasesTheReservationOnce() {
        Upload upload = reserved(ledger, user, 1000, quota, now);

        assertThat(ledger.markGone(BUCKET, upload.objectKey(), later)).isTrue();

        Upload gone = ledger.findUpload(upload.uploadId()).orElseThrow();
        assertThat(gone.status()).isEqualTo(UploadStatus.GONE);
        assertThat(gone.currentKey()).isNull();
        assertThat(ledger.account(user).orElseThrow().bytesReserved()).isZero();
        assertThat(ledger.account(user).orElseThrow().objectsReserved()).isZero();
        Books before = books(ledger, user);

        assertThat(ledger.markGone(BUCKET, upload.objectKey(), later.plusSeconds(1)))
                .isFalse();
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void markGoneLeavesSettledUploadsAlone() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e", layout.servedKey(upload.objectKey()), now);
        Books before = books(ledger, user);

        assertThat(ledger.markGone(BUCKET, upload.objectKey(), later)).isFalse();
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void historyPagesNewestFirst() {
        Upload first = reserved(ledger, user, 1, quota, now);
        Upload second = reserved(ledger, user, 1, quota, now.plusSeconds(1));
        Upload third = reserved(ledger, user, 1, quota, now.plusSeconds(2));

        List<Upload> page = ledger.history(user, 2, null);
        assertThat(page).containsExactly(third, second);
        assertThat(ledger.history(user, 2, page.get(1).createdAt())).containsExactly(first);
    }

    /** Books a 10-byte object written with no reservation at {@code key} as rejected and deleted. */
    private static SettleOutcome recordUnreserved(
            String key, Optional<String> userSegment, Function<String, Quota> quotaForUser, Instant at) {
        return ledger.recordUnreserved(
                BUCKET,
                key,
                userSegment,
                UNRESERVED,
                10,
                "image/png",
                "e",
                UploadAction.DELETED,
                null,
                quotaForUser,
                at);
    }
}
