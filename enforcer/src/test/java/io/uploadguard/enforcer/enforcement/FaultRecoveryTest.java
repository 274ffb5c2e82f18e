package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.reconciliation.Reconciler;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.sandbox.client.SandboxFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The real servers stopped in the middle of a stream of uploads, then started again: nothing is
 * lost (every event is processed or waits in the dead-letter queue, from where the operator's
 * redrive brings it back), nothing is counted twice, and the bucket and the books agree after
 * recovery. The figures are printed for docs/reliability.md.
 *
 * <p>The test sandbox redelivers quickly (2 s visibility, 3 receives), so a 10 s outage sends
 * messages to the dead-letter queue on purpose: recovery includes the documented redrive.
 */
@Tag("integration")
class FaultRecoveryTest extends EnforcerIntegrationTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int UPLOADS = 20;

    @Autowired
    Reconciler reconciler;

    @Test
    void s3DownForTenSecondsInTheMiddleOfAStream() {
        runScenario("s3", 0);
    }

    @Test
    void postgresDownForTenSecondsInTheMiddleOfAStream() {
        runScenario("postgres", 0);
    }

    @Test
    void sqsUnreachableForTenSecondsWhileUploadsGoOn() {
        // S3 keeps sending its events into the queue; only the enforcer's path to SQS is cut
        runScenario("sqs", 10);
    }

    private void runScenario(String part, int uploadsDuringOutage) {
        String user = newUser();
        ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor();
        List<String> keys = new ArrayList<>();
        long expectedBytes = 0;
        for (int i = 0; i < UPLOADS / 2; i++) {
            keys.add(upload(user, "avatar", "image/png", png(1000 + i)).key());
            expectedBytes += 1000 + i;
        }
        // the second half of the stream is on the queue when the server goes down
        for (int i = UPLOADS / 2; i < UPLOADS; i++) {
            Signed signed = sign(user, "avatar", "image/png", 1000 + i);
            assertThat(put(signed, png(1000 + i))).isEqualTo(200);
            keys.add(signed.key());
            expectedBytes += 1000 + i;
        }
        long down = System.nanoTime();
        SandboxFaults faults = new SandboxFaults(sandbox());
        faults.stop(part);
        // the outage lasts OUTAGE, whatever the enforcer does meanwhile
        var restarted = restarter.schedule(() -> faults.start(part), OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i < uploadsDuringOutage; i++) {
            int size = 2000 + i;
            keys.add(upload(user, "avatar", "image/png", png(size)).key());
            expectedBytes += size;
        }
        await().atMost(OUTAGE.plusSeconds(30)).until(restarted::isDone);
        restarter.shutdown();

        // the operator's redrive: whatever reached the dead-letter queue goes back to the events queue
        int[] redriven = {0};
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    redriven[0] += redriveOnce();
                    return keys.stream()
                            .allMatch(k -> ledger.findByKey(bucket(), k)
                                    .map(u -> u.settledAt() != null)
                                    .orElse(false));
                });
        long recoveredBy = System.nanoTime();

        long accepted = keys.stream()
                .filter(k -> ledger.findByKey(bucket(), k).orElseThrow().status() == UploadStatus.ACCEPTED)
                .count();
        var account = account(user).orElseThrow();
        var report = reconciler.check(Duration.ofSeconds(30));
        System.out.printf(
                "FAULT %s down %d s: uploads sent=%d settled=%d accepted=%d redriven-from-dlq=%d "
                        + "time-to-recover=%.1f s consistent=%s%n",
                part,
                OUTAGE.toSeconds(),
                keys.size(),
                keys.size(),
                accepted,
                redriven[0],
                (recoveredBy - down) / 1e9 - OUTAGE.toSeconds(),
                report.consistent());

        assertThat(accepted).isEqualTo(keys.size());
        assertThat(account.get("bytes_used")).isEqualTo(expectedBytes);
        assertThat(account.get("objects_used")).isEqualTo((long) keys.size());
        assertThat(account.get("bytes_reserved")).isEqualTo(0L);
        assertThat(report.accountDrift()).isEmpty();
        assertThat(report.consistent()).as(report.toString()).isTrue();
    }

    private int redriveOnce() {
        int moved = 0;
        for (Message m : sqs.receiveMessage(
                        r -> r.queueUrl(deadLetterQueueUrl()).maxNumberOfMessages(10))
                .messages()) {
            sqs.sendMessage(r -> r.queueUrl(eventsQueueUrl()).messageBody(m.body()));
            sqs.deleteMessage(r -> r.queueUrl(deadLetterQueueUrl()).receiptHandle(m.receiptHandle()));
            moved++;
        }
        return moved;
    }
}
