package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.quota;
import static io.uploadguard.ledger.LedgerTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.booking.BatchReservations.Answer;
import io.uploadguard.ledger.booking.ReserveOutcome.QuotaExceeded;
import io.uploadguard.ledger.booking.ReserveOutcome.Reserved;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.QuotaKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Group commit keeps every guarantee of a reservation booked alone. */
@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class ReservationBatchesTest {

    private static ReservationBatches batches;
    private static BatchReservations oneStatement;
    private static QuotaLedger ledger;

    private final ExecutorService pool = Executors.newFixedThreadPool(32);
    private final Instant now = LedgerTests.now();

    @BeforeAll
    static void connect(DataSource dataSource, QuotaLedger quotaLedger) {
        LedgerDatabase db =
                new LedgerDatabase(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource));
        oneStatement = new BatchReservations(db);
        batches = new ReservationBatches(new Reservations(db), oneStatement);
        ledger = quotaLedger;
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void parallelRequestsOfOneUserGrantExactlyWhatFits() throws Exception {
        String user = LedgerTests.newUser("batch-race");
        Quota room = quota(1L << 40, 11);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ReserveOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ReservationRequest request = request(user, 1000 + i, now.plusSeconds(300));
            futures.add(pool.submit(() -> {
                start.await();
                return batches.reserve(request, room, now);
            }));
        }
        start.countDown();
        List<Upload> granted = new ArrayList<>();
        int refused = 0;
        for (Future<ReserveOutcome> future : futures) {
            ReserveOutcome outcome = future.get(60, TimeUnit.SECONDS);
            if (outcome instanceof Reserved reserved) {
                granted.add(reserved.upload());
            } else {
                assertThat(((QuotaExceeded) outcome).which()).isEqualTo(QuotaKind.OBJECTS);
                refused++;
            }
        }
        assertThat(granted).hasSize(11);
        assertThat(refused).isEqualTo(53);
        Account account = ledger.account(user).orElseThrow();
        assertThat(account.objectsReserved()).isEqualTo(11);
        assertThat(account.bytesReserved())
                .isEqualTo(granted.stream().mapToLong(Upload::declaredSize).sum());
        assertThat(account.rateWindowCount()).isEqualTo(11);
        assertThat(ledger.history(user, 100, null)).containsExactlyInAnyOrderElementsOf(granted);
    }

    @Test
    void aRefusalInABatchLeavesNoTraceWhileItsNeighboursAreBooked() {
        String known = LedgerTests.newUser("batch-known");
        String newcomer = LedgerTests.newUser("batch-newcomer");
        String other = LedgerTests.newUser("batch-other");
        Quota small = quota(5000, 10);
        List<PendingReservation> batch = List.of(
                pending(request(known, 3000, now.plusSeconds(300)), small),
                // the newcomer's only request is over quota: its account must not stay behind
                pending(request(newcomer, 9000, now.plusSeconds(300)), small),
                // over quota after the first one of the same user, in the same batch
                pending(request(known, 3000, now.plusSeconds(300)), small),
                pending(request(other, 100, now.plusSeconds(300)), small),
                pending(request(known, 2000, now.plusSeconds(300)), small));

        // one statement, no fallback: every request gets its answer from reserve_uploads itself
        Map<Integer, Answer> answers = oneStatement.reserve(batch);

        assertThat(answers).hasSize(5);
        assertThat(answers.get(0).outcome()).isInstanceOf(Reserved.class);
        assertThat(answers.get(1).outcome()).isEqualTo(new QuotaExceeded(QuotaKind.BYTES, 5000, 9000));
        assertThat(answers.get(2).outcome()).isEqualTo(new QuotaExceeded(QuotaKind.BYTES, 5000, 6000));
        assertThat(answers.get(3).outcome()).isInstanceOf(Reserved.class);
        assertThat(answers.get(4).outcome()).isInstanceOf(Reserved.class);
        assertThat(ledger.account(newcomer)).isEmpty();
        assertThat(ledger.history(newcomer, 10, null)).isEmpty();
        Account account = ledger.account(known).orElseThrow();
        assertThat(account.bytesReserved()).isEqualTo(5000);
        assertThat(account.objectsReserved()).isEqualTo(2);
        assertThat(account.rateWindowCount()).isEqualTo(2);
        assertThat(ledger.history(known, 10, null)).hasSize(2);
        assertThat(ledger.account(other).orElseThrow().objectsReserved()).isEqualTo(1);
    }

    @Test
    void aRepeatedUploadIdAnswersTheSameReservationAndAnotherUsersIsRefused() {
        String user = LedgerTests.newUser("batch-repeat");
        String intruder = LedgerTests.newUser("batch-intruder");
        ReservationRequest first = request(user, 1000, now.plusSeconds(300));
        Upload held = ((Reserved) ledger.reserve(first, LedgerTests.ROOMY, now)).upload();
        ReservationRequest again = request(user, 1000, now.plusSeconds(300));
        ReservationRequest stolen = new ReservationRequest(
                first.uploadId(),
                intruder,
                "avatar",
                LedgerTests.BUCKET,
                "x/y",
                LedgerTests.PNG,
                10,
                null,
                null,
                now.plusSeconds(300));
        List<PendingReservation> batch = List.of(
                pending(first, LedgerTests.ROOMY),
                pending(again, LedgerTests.ROOMY),
                pending(again, LedgerTests.ROOMY),
                pending(stolen, LedgerTests.ROOMY));

        batches.book(batch);

        assertThat(batch.get(0).answer().join()).isEqualTo(new Reserved(held));
        Upload second = ((Reserved) batch.get(1).answer().join()).upload();
        assertThat(batch.get(2).answer().join()).isEqualTo(new Reserved(second));
        assertThatThrownBy(() -> batch.get(3).answer().join()).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.account(user).orElseThrow().objectsReserved()).isEqualTo(2);
        assertThat(ledger.account(intruder)).isEmpty();
    }

    private PendingReservation pending(ReservationRequest request, Quota quota) {
        return new PendingReservation(request, quota, now, Thread.currentThread(), new CompletableFuture<>());
    }
}
