package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.books;
import static io.uploadguard.ledger.LedgerTests.quota;
import static io.uploadguard.ledger.LedgerTests.request;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Books;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.UploadWithAccount;
import io.uploadguard.ledger.booking.ReserveOutcome.Blocked;
import io.uploadguard.ledger.booking.ReserveOutcome.QuotaExceeded;
import io.uploadguard.ledger.booking.ReserveOutcome.RateLimited;
import io.uploadguard.ledger.booking.ReserveOutcome.Reserved;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.QuotaKind;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class ReserveTest {

    private static QuotaLedger ledger;

    private final Instant now = LedgerTests.now();
    private final String user = LedgerTests.newUser("reserve");

    @BeforeAll
    static void connect(QuotaLedger quotaLedger) {
        ledger = quotaLedger;
    }

    @Test
    void reservationHoldsTheDeclaredSize() {
        ReservationRequest request = new ReservationRequest(
                UUID.randomUUID(),
                user,
                "avatar",
                BUCKET,
                KeyLayout.DEFAULT.newIncomingKey(user, "image/png"),
                "image/png",
                1000,
                "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
                "cat.png",
                now.plus(Duration.ofMinutes(5)));

        ReserveOutcome outcome = ledger.reserve(request, Quota.DEFAULT, now);

        assertThat(outcome).isInstanceOfSatisfying(Reserved.class, reserved -> {
            Upload upload = reserved.upload();
            assertThat(upload.uploadId()).isEqualTo(request.uploadId());
            assertThat(upload.userId()).isEqualTo(user);
            assertThat(upload.profile()).isEqualTo("avatar");
            assertThat(upload.bucket()).isEqualTo(BUCKET);
            assertThat(upload.objectKey()).isEqualTo(request.key());
            assertThat(upload.currentKey()).isEqualTo(request.key());
            assertThat(upload.declaredType()).isEqualTo("image/png");
            assertThat(upload.declaredSize()).isEqualTo(1000);
            assertThat(upload.checksumSha256()).isEqualTo(request.checksumSha256());
            assertThat(upload.filename()).isEqualTo("cat.png");
            assertThat(upload.status()).isEqualTo(UploadStatus.RESERVED);
            assertThat(upload.reasons()).isEmpty();
            assertThat(upload.createdAt()).isEqualTo(now);
            assertThat(upload.expiresAt()).isEqualTo(request.expiresAt());
            assertThat(upload.settledAt()).isNull();
        });
        assertThat(ledger.findUpload(request.uploadId())).contains(((Reserved) outcome).upload());
        assertThat(ledger.findByKey(BUCKET, request.key())).contains(((Reserved) outcome).upload());
        assertThat(ledger.findByCurrentKey(BUCKET, request.key())).contains(((Reserved) outcome).upload());

        Account account = ledger.account(user).orElseThrow();
        assertThat(account.userSegment()).isEqualTo(KeyLayout.userSegment(user));
        assertThat(account.bytesReserved()).isEqualTo(1000);
        assertThat(account.objectsReserved()).isEqualTo(1);
        assertThat(account.bytesUsed()).isZero();
        assertThat(account.objectsUsed()).isZero();
        assertThat(account.rateWindowStart()).isEqualTo(now);
        assertThat(account.rateWindowCount()).isEqualTo(1);
        // what the enforcer reads for a verdict: both rows in one statement, each as read alone
        assertThat(ledger.findByKeyWithAccount(BUCKET, request.key()))
                .contains(new UploadWithAccount(((Reserved) outcome).upload(), Optional.of(account)));
        assertThat(ledger.findByKeyWithAccount(BUCKET, request.key() + "-unknown"))
                .isEmpty();

        reserved(ledger, user, 500, Quota.DEFAULT, now.plusSeconds(1));
        Account after = ledger.account(user).orElseThrow();
        assertThat(after.bytesReserved()).isEqualTo(1500);
        assertThat(after.objectsReserved()).isEqualTo(2);
        assertThat(after.rateWindowCount()).isEqualTo(2);
    }

    @Test
    void repeatingARequestReturnsTheSameReservation() {
        ReservationRequest request = request(user, 1000, now.plusSeconds(300));
        Upload first = ((Reserved) ledger.reserve(request, Quota.DEFAULT, now)).upload();
        Books before = books(ledger, user);

        ReserveOutcome again = ledger.reserve(request, Quota.DEFAULT, now.plusSeconds(5));

        assertThat(again).isEqualTo(new Reserved(first));
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void anotherUsersUploadIdIsRefused() {
        ReservationRequest request = request(user, 1000, now.plusSeconds(300));
        assertThat(ledger.reserve(request, Quota.DEFAULT, now)).isInstanceOf(Reserved.class);
        String other = LedgerTests.newUser("other");
        ReservationRequest stolen = new ReservationRequest(
                request.uploadId(),
                other,
                "avatar",
                BUCKET,
                KeyLayout.DEFAULT.newIncomingKey(other, "image/png"),
                "image/png",
                10,
                null,
                null,
                request.expiresAt());

        assertThatThrownBy(() -> ledger.reserve(stolen, Quota.DEFAULT, now))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another user's");
        assertThat(ledger.account(other)).isEmpty();
    }

    @Test
    void blockedUserIsRefusedAndNothingChanges() {
        Quota blockOnFirst = new Quota(1_000_000, 100, 100, 1, Duration.ofHours(1));
        Upload upload = reserved(ledger, user, 100, blockOnFirst, now);
        ledger.reject(
                BUCKET,
                upload.objectKey(),
                List.of(Reason.TYPE_MISMATCH.name()),
                100L,
                "text/html",
                "e1",
                UploadAction.DELETED,
                null,
                blockOnFirst,
                now);
        Books before = books(ledger, user);
        ReservationRequest request = request(user, 100, now.plusSeconds(300));

        ReserveOutcome outcome = ledger.reserve(request, blockOnFirst, now.plusSeconds(10));

        assertThat(outcome).isInstanceOfSatisfying(Blocked.class, blocked -> {
            assertThat(blocked.until()).isEqualTo(now.plus(Duration.ofHours(1)));
            assertThat(blocked.reason()).contains("1 violations").contains("TYPE_MISMATCH");
        });
        assertThat(books(ledger, user)).isEqualTo(before);
        assertThat(ledger.findUpload(request.uploadId())).isEmpty();

        ReserveOutcome afterBlock = ledger.reserve(request, blockOnFirst, now.plus(Duration.ofHours(1)));
        assertThat(afterBlock).isInstanceOf(Reserved.class);
    }

    @Test
    void fullRateWindowIsRefusedWithRetryAfterAndNothingChanges() {
        Quota threePerMinute = new Quota(1_000_000, 100, 3, 3, Duration.ofHours(1));
        reserved(ledger, user, 10, threePerMinute, now);
        reserved(ledger, user, 10, threePerMinute, now.plusSeconds(10));
        reserved(ledger, user, 10, threePerMinute, now.plusSeconds(20));
        Books before = books(ledger, user);
        ReservationRequest request = request(user, 10, now.plusSeconds(300));

        ReserveOutcome outcome = ledger.reserve(request, threePerMinute, now.plusSeconds(30));

        assertThat(outcome).isEqualTo(new RateLimited(Duration.ofSeconds(30)));
        assertThat(books(ledger, user)).isEqualTo(before);
        assertThat(ledger.findUpload(request.uploadId())).isEmpty();

        // at the very end of the window the answer is still at least a second
        assertThat(ledger.reserve(request, threePerMinute, now.plusMillis(59_999)))
                .isEqualTo(new RateLimited(Duration.ofSeconds(1)));
        // a part second rounds up
        assertThat(ledger.reserve(request, threePerMinute, now.plusMillis(30_500)))
                .isEqualTo(new RateLimited(Duration.ofSeconds(30)));
        assertThat(books(ledger, user)).isEqualTo(before);

        // a new window starts when the old one is over
        assertThat(ledger.reserve(request, threePerMinute, now.plusSeconds(60))).isInstanceOf(Reserved.class);
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.rateWindowStart()).isEqualTo(now.plusSeconds(60));
        assertThat(account.rateWindowCount()).isEqualTo(1);
    }

    @Test
    void goingOverTheByteQuotaIsRefusedAndNothingChanges() {
        Quota thousandBytes = quota(1000, 100);
        reserved(ledger, user, 600, thousandBytes, now);
        Books before = books(ledger, user);
        ReservationRequest request = request(user, 401, now.plusSeconds(300));

        ReserveOutcome outcome = ledger.reserve(request, thousandBytes, now);

        assertThat(outcome).isEqualTo(new QuotaExceeded(QuotaKind.BYTES, 1000, 1001));
        assertThat(books(ledger, user)).isEqualTo(before);
        assertThat(ledger.findUpload(request.uploadId())).isEmpty();
        // exactly the limit fits
        assertThat(ledger.reserve(request(user, 400, now.plusSeconds(300)), thousandBytes, now))
                .isInstanceOf(Reserved.class);
    }

    @Test
    void usedBytesCountAgainstTheQuotaToo() {
        Quota thousandBytes = quota(1000, 100);
        Upload upload = reserved(ledger, user, 600, thousandBytes, now);
        ledger.accept(BUCKET, upload.objectKey(), 700, "image/png", "e", "served/x", now);

        assertThat(ledger.reserve(request(user, 301, now.plusSeconds(300)), thousandBytes, now))
                .isEqualTo(new QuotaExceeded(QuotaKind.BYTES, 1000, 1001));
    }

    @Test
    void goingOverTheObjectQuotaIsRefusedAndNothingChanges() {
        Quota twoObjects = quota(1_000_000, 2);
        reserved(ledger, user, 1, twoObjects, now);
        reserved(ledger, user, 1, twoObjects, now);
        Books before = books(ledger, user);
        ReservationRequest request = request(user, 1, now.plusSeconds(300));

        ReserveOutcome outcome = ledger.reserve(request, twoObjects, now);

        assertThat(outcome).isEqualTo(new QuotaExceeded(QuotaKind.OBJECTS, 2, 3));
        assertThat(books(ledger, user)).isEqualTo(before);
        assertThat(ledger.findUpload(request.uploadId())).isEmpty();
    }

    @Test
    void refusedFirstRequestLeavesNoAccountBehind() {
        ReserveOutcome outcome = ledger.reserve(request(user, 5000, now.plusSeconds(300)), quota(1000, 10), now);

        assertThat(outcome).isEqualTo(new QuotaExceeded(QuotaKind.BYTES, 1000, 5000));
        assertThat(ledger.account(user)).isEmpty();
    }
}
