package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.quota;
import static io.uploadguard.ledger.LedgerTests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.booking.ReserveOutcome.QuotaExceeded;
import io.uploadguard.ledger.booking.ReserveOutcome.Reserved;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.QuotaKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The quota holds when many URLs are requested at once: no request sees another's stale books. */
@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class ReserveConcurrencyTest {

    private static final int CALLS = 50;
    private static final int FITS = 7;

    private static QuotaLedger ledger;

    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final Instant now = LedgerTests.now();

    @BeforeAll
    static void connect(QuotaLedger quotaLedger) {
        ledger = quotaLedger;
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void byteQuotaForSevenUploadsGrantsExactlySeven() throws Exception {
        String user = LedgerTests.newUser("race-bytes");
        List<ReserveOutcome> outcomes = reserveAtOnce(user, quota(FITS * 1000L, 1000), i -> 1000);

        assertOutcomes(user, outcomes, QuotaKind.BYTES);
    }

    @Test
    void objectQuotaForSevenUploadsGrantsExactlySeven() throws Exception {
        String user = LedgerTests.newUser("race-objects");
        // sizes differ, so the reserved sum shows which seven got in
        List<ReserveOutcome> outcomes = reserveAtOnce(user, quota(1L << 40, FITS), i -> 1000 + i);

        assertOutcomes(user, outcomes, QuotaKind.OBJECTS);
    }

    private List<ReserveOutcome> reserveAtOnce(String user, Quota quota, IntToLongFunction size) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ReserveOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            ReservationRequest request = request(user, size.applyAsLong(i), now.plusSeconds(300));
            futures.add(pool.submit(() -> {
                start.await();
                return ledger.reserve(request, quota, now);
            }));
        }
        start.countDown();
        List<ReserveOutcome> outcomes = new ArrayList<>();
        for (Future<ReserveOutcome> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private static void assertOutcomes(String user, List<ReserveOutcome> outcomes, QuotaKind which) {
        List<Upload> granted = outcomes.stream()
                .filter(Reserved.class::isInstance)
                .map(o -> ((Reserved) o).upload())
                .toList();
        List<QuotaExceeded> refused = outcomes.stream()
                .filter(QuotaExceeded.class::isInstance)
                .map(QuotaExceeded.class::cast)
                .toList();
        assertThat(granted).hasSize(FITS);
        assertThat(refused)
                .hasSize(CALLS - FITS)
                .allSatisfy(r -> assertThat(r.which()).isEqualTo(which));

        Account account = ledger.account(user).orElseThrow();
        assertThat(account.bytesReserved())
                .isEqualTo(granted.stream().mapToLong(Upload::declaredSize).sum());
        assertThat(account.objectsReserved()).isEqualTo(FITS);
        assertThat(account.rateWindowCount()).isEqualTo(FITS);
        assertThat(ledger.history(user, 100, null)).containsExactlyInAnyOrderElementsOf(granted);
    }
}
