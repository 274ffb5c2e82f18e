package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.books;
import static io.uploadguard.ledger.LedgerTests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Books;
import io.uploadguard.ledger.LedgerTests.Counters;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.ReserveOutcome.Reserved;
import io.uploadguard.ledger.booking.SettleOutcome.Settled;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * releaseExpired works across all users, and the database is shared by every test class: each test
 * first releases whatever earlier tests left expired, so the counts it sees are its own.
 */
@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class ReleaseExpiredTest {

    private static final Duration GRACE = Duration.ofMinutes(1);

    private static QuotaLedger ledger;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final Instant now = LedgerTests.now();
    private final Quota quota = new Quota(1_000_000_000, 1000, 1000, 3, Duration.ofHours(1));

    @BeforeAll
    static void connect(QuotaLedger quotaLedger) {
        ledger = quotaLedger;
    }

    @BeforeEach
    void releaseWhatEarlierTestsLeft() {
        while (ledger.releaseExpired(now, GRACE, 1000) > 0) {
            // keep going until nothing is due
        }
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void expiredReservationsAreReleasedExactlyOnceByTwoConcurrentRunners() throws Exception {
        List<String> users = List.of(
                LedgerTests.newUser("expire-a"), LedgerTests.newUser("expire-b"), LedgerTests.newUser("expire-c"));
        List<Upload> expired = new ArrayList<>();
        List<Upload> live = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expired.add(reserve(users.get(i % 3), 100 + i, now.minus(Duration.ofMinutes(10))));
        }
        for (String user : users) {
            live.add(reserve(user, 7, now.plus(Duration.ofDays(1))));
            // expired, but still within the grace period
            live.add(reserve(user, 11, now.minusSeconds(30)));
        }

        CountDownLatch start = new CountDownLatch(1);
        Callable<Integer> runner = () -> {
            start.await();
            int released = 0;
            for (int batch; (batch = ledger.releaseExpired(now, GRACE, 4)) > 0; ) {
                released += batch;
            }
            return released;
        };
        Future<Integer> first = pool.submit(runner);
        Future<Integer> second = pool.submit(runner);
        start.countDown();

        assertThat(first.get(60, TimeUnit.SECONDS) + second.get(60, TimeUnit.SECONDS))
                .isEqualTo(30);
        assertThat(ledger.releaseExpired(now, GRACE, 1000)).isZero();
        for (Upload upload : expired) {
            assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().status())
                    .isEqualTo(UploadStatus.EXPIRED);
        }
        for (Upload upload : live) {
            assertThat(ledger.findUpload(upload.uploadId())).contains(upload);
        }
        for (String user : users) {
            Account account = ledger.account(user).orElseThrow();
            assertThat(account.bytesReserved()).as(user).isEqualTo(7 + 11);
            assertThat(account.objectsReserved()).as(user).isEqualTo(2);
        }
    }

    @Test
    void acceptingAnExpiredUploadAddsToUsedWithoutTouchingReserved() {
        String user = LedgerTests.newUser("expire-accept");
        Upload upload = reserve(user, 1000, now.minus(Duration.ofMinutes(10)));
        reserve(user, 50, now.plus(Duration.ofDays(1)));
        assertThat(ledger.releaseExpired(now, GRACE, 1000)).isEqualTo(1);
        assertThat(ledger.account(user).orElseThrow().bytesReserved()).isEqualTo(50);

        SettleOutcome outcome = ledger.accept(
                BUCKET,
                upload.objectKey(),
                1000,
                "image/png",
                "e",
                KeyLayout.DEFAULT.servedKey(upload.objectKey()),
                now);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Settled.class, settled -> assertThat(settled.previous()).isEqualTo(UploadStatus.EXPIRED));
        Account account = ledger.account(user).orElseThrow();
        assertThat(Counters.of(account)).isEqualTo(new Counters(1000, 1, 50, 1));
    }

    @Test
    void rejectingAnExpiredUploadCountsAViolationWithoutTouchingReserved() {
        String user = LedgerTests.newUser("expire-reject");
        Upload upload = reserve(user, 1000, now.minus(Duration.ofMinutes(10)));
        reserve(user, 50, now.plus(Duration.ofDays(1)));
        ledger.releaseExpired(now, GRACE, 1000);

        SettleOutcome outcome = ledger.reject(
                BUCKET,
                upload.objectKey(),
                List.of("TOO_LARGE"),
                1000L,
                "image/png",
                "e",
                UploadAction.DELETED,
                null,
                quota,
                now);

        assertThat(((Settled) outcome).previous()).isEqualTo(UploadStatus.EXPIRED);
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.bytesReserved()).isEqualTo(50);
        assertThat(account.violations()).isEqualTo(1);
    }

    @Test
    void markGoneSettlesAnExpiredUploadWithoutGivingBackTwice() {
        String user = LedgerTests.newUser("expire-gone");
        Upload upload = reserve(user, 1000, now.minus(Duration.ofMinutes(10)));
        reserve(user, 50, now.plus(Duration.ofDays(1)));
        ledger.releaseExpired(now, GRACE, 1000);
        Account before = ledger.account(user).orElseThrow();

        assertThat(ledger.markGone(BUCKET, upload.objectKey(), now)).isTrue();

        assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().status()).isEqualTo(UploadStatus.GONE);
        assertThat(ledger.account(user)).contains(before);
        Books settled = books(ledger, user);
        assertThat(ledger.markGone(BUCKET, upload.objectKey(), now)).isFalse();
        assertThat(books(ledger, user)).isEqualTo(settled);
    }

    private Upload reserve(String user, long size, Instant expiresAt) {
        ReserveOutcome outcome = ledger.reserve(request(user, size, expiresAt), quota, expiresAt.minusSeconds(300));
        assertThat(outcome).isInstanceOf(Reserved.class);
        return ((Reserved) outcome).upload();
    }
}
