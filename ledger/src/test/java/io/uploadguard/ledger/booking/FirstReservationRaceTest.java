package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.quota;
import static io.uploadguard.ledger.LedgerTests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.booking.ReserveOutcome.Reserved;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The first requests of a new user, at once, through the one-at-a-time path (the group commit's
 * fallback): they make the same account together, and may meet on either of its unique indexes
 * (user id, user segment). Each is booked or refused; none fails.
 */
@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class FirstReservationRaceTest {

    private static final int USERS = 40;
    private static final int REQUESTS_PER_USER = 4;

    private static Reservations single;
    private static QuotaLedger ledger;

    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final Instant now = LedgerTests.now();

    @BeforeAll
    static void connect(DataSource dataSource, QuotaLedger quotaLedger) {
        single = new Reservations(
                new LedgerDatabase(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource)));
        ledger = quotaLedger;
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void concurrentFirstRequestsOfNewUsersAreAllBooked() throws Exception {
        Quota room = quota(1L << 40, 1000);
        List<String> users = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            users.add(LedgerTests.newUser("first-race"));
        }
        List<Future<ReserveOutcome>> futures = new ArrayList<>();
        for (String user : users) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ReserveOutcome>> ofUser = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_USER; i++) {
                ReservationRequest request = request(user, 1000 + i, now.plusSeconds(300));
                ofUser.add(pool.submit(() -> {
                    start.await();
                    return single.reserve(request, room, now);
                }));
            }
            start.countDown();
            futures.addAll(ofUser);
        }
        List<ReserveOutcome> outcomes = new ArrayList<>();
        for (Future<ReserveOutcome> future : futures) {
            // an exception here (a unique violation on accounts) is the bug this test guards against
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }

        assertThat(outcomes)
                .hasSize(USERS * REQUESTS_PER_USER)
                .allSatisfy(o -> assertThat(o).isInstanceOf(Reserved.class));
        for (String user : users) {
            assertThat(ledger.account(user).orElseThrow().objectsReserved()).isEqualTo(REQUESTS_PER_USER);
        }
    }
}
