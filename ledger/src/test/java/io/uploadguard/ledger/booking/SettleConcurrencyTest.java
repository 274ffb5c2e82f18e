package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.counters;
import static io.uploadguard.ledger.LedgerTests.rejectQuarantined;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Counters;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.SettleOutcome.Settled;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

/**
 * A verdict is booked once when many attempts book the same key at the same moment (a redelivered
 * event on another instance, the removal event of the enforcer's own delete): one of them settles
 * it, the others find it settled, and the counters and the outbox show one verdict.
 */
@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class SettleConcurrencyTest {

    private static final int ATTEMPTS = 12;
    private static final List<String> MISMATCH = List.of(Reason.TYPE_MISMATCH.name());

    private static QuotaLedger ledger;
    private static JdbcClient jdbc;

    private final ExecutorService pool = Executors.newFixedThreadPool(ATTEMPTS);
    private final KeyLayout layout = KeyLayout.DEFAULT;
    private final Instant now = LedgerTests.now();
    private final Quota quota = LedgerTests.ROOMY;

    @BeforeAll
    static void connect(QuotaLedger quotaLedger, DataSource dataSource) {
        ledger = quotaLedger;
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void acceptsAndRejectsOfOneKeyAtOnceBookOneVerdict() throws Exception {
        for (int round = 0; round < 5; round++) {
            String user = LedgerTests.newUser("settle-race");
            Upload upload = reserved(ledger, user, 1000, quota, now);
            String key = upload.objectKey();

            List<SettleOutcome> outcomes = atOnce(i -> i % 2 == 0
                    ? ledger.accept(BUCKET, key, 900, "image/png", "e", layout.servedKey(key), now)
                    : rejectQuarantined(ledger, key, MISMATCH, 900, layout.quarantineKey(key), quota, now));

            List<SettleOutcome> booked =
                    outcomes.stream().filter(SettleOutcome::changed).toList();
            assertThat(booked).singleElement().isInstanceOf(Settled.class);
            Upload settled = booked.get(0).resulting().orElseThrow();
            assertThat(outcomes)
                    .allSatisfy(o ->
                            assertThat(o.resulting().orElseThrow().status()).isEqualTo(settled.status()));
            boolean accepted = settled.status() == UploadStatus.ACCEPTED;
            assertThat(counters(ledger, user))
                    .isEqualTo(accepted ? new Counters(900, 1, 0, 0) : new Counters(0, 0, 0, 0));
            assertThat(ledger.account(user).orElseThrow().violations()).isEqualTo(accepted ? 0 : 1);
            assertThat(jdbc.sql("SELECT count(*) FROM notification_outbox WHERE upload_id = :id")
                            .param("id", upload.uploadId())
                            .query(Long.class)
                            .single())
                    .isEqualTo(1L);
        }
    }

    private interface Attempt {
        SettleOutcome book(int index);
    }

    /** Runs the attempts together, released at one moment. */
    private List<SettleOutcome> atOnce(Attempt attempt) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SettleOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            int index = i;
            Callable<SettleOutcome> call = () -> {
                assertThat(start.await(30, TimeUnit.SECONDS)).isTrue();
                return attempt.book(index);
            };
            futures.add(pool.submit(call));
        }
        start.countDown();
        List<SettleOutcome> outcomes = new ArrayList<>();
        for (Future<SettleOutcome> f : futures) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }
}
