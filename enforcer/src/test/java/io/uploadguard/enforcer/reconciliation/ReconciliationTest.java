package io.uploadguard.enforcer.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The invariant checker against the real bucket and ledger: consistent after real traffic, finds
 * counter drift, and repairs it from the upload rows.
 */
@Tag("integration")
class ReconciliationTest extends EnforcerIntegrationTest {

    private static final Duration GRACE = Duration.ofSeconds(30);

    @Autowired
    Reconciler reconciler;

    @Test
    void theBucketAndTheBooksAgreeAfterRealTraffic() {
        String user = newUser();
        awaitVerdict(upload(user, "avatar", "image/png", png(1500)).key());
        awaitVerdict(upload(user, "avatar", "image/png", html(700)).key());

        Reconciler.Report report = reconciler.check(GRACE);

        System.out.println("reconciliation: " + report);
        assertThat(report.consistent()).as(report.toString()).isTrue();
        assertThat(report.accountDrift()).isEmpty();
    }

    @Test
    void counterDriftIsFoundAndRepairedFromTheRows() {
        String user = newUser();
        awaitVerdict(upload(user, "avatar", "image/png", png(2048)).key());
        jdbc.sql("update accounts set bytes_used = bytes_used + 999, objects_reserved = objects_reserved + 1 "
                        + "where user_id = ?")
                .param(user)
                .update();

        Reconciler.Report found = reconciler.check(GRACE);
        assertThat(found.consistent()).isFalse();
        assertThat(found.accountDrift()).anySatisfy(d -> {
            assertThat(d.userId()).isEqualTo(user);
            assertThat(d.bytesUsed()).isEqualTo(2048 + 999);
            assertThat(d.expectedBytesUsed()).isEqualTo(2048);
            assertThat(d.objectsReserved()).isEqualTo(1);
            assertThat(d.expectedObjectsReserved()).isZero();
        });

        Reconciler.Report repaired = reconciler.repair(GRACE, "reconciliation-test");

        assertThat(repaired.repaired()).extracting(d -> d.userId()).contains(user);
        assertThat(repaired.accountDrift()).isEmpty();
        assertThat(account(user).orElseThrow().get("bytes_used")).isEqualTo(2048L);
        assertThat(account(user).orElseThrow().get("objects_reserved")).isEqualTo(0L);
    }

    @Test
    void anObjectLeftInTheIncomingAreaShowsAsUnsettled() {
        String key = layout.incomingPrefix() + "stray/" + java.util.UUID.randomUUID() + ".bin";
        pauseThenWrite(key);
        try {
            Reconciler.Report report = reconciler.check(Duration.ZERO);
            assertThat(report.unsettledIncoming()).contains(key);
            assertThat(report.consistent()).isFalse();
        } finally {
            listeners.getListenerContainers().forEach(c -> c.start());
            awaitVerdict(key);
        }
    }

    private void pauseThenWrite(String key) {
        listeners.getListenerContainers().forEach(c -> c.stop());
        s3.putObject(r -> r.bucket(bucket()).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    }
}
