package io.uploadguard.enforcer.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.FaultInjection;
import io.uploadguard.ledger.UploadStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The listener polls for the next messages as soon as a slot is free ({@link InFlightMessageLimit}):
 * one object that takes long (a slow S3, a big scan) does not hold up the others behind it.
 */
@Tag("integration")
class MessagesInFlightTest extends EnforcerIntegrationTest {

    /**
     * Well under the 10 s that Spring Cloud AWS's own limiter waits for a whole poll's worth of free
     * slots (10 of 10, one of them held here) before it polls for fewer.
     */
    private static final Duration UNDER_THE_LIBRARY_WAIT = Duration.ofSeconds(8);

    @Test
    void anObjectHeldInInspectionDoesNotHoldUpTheNextOnes() {
        String user = newUser();
        CountDownLatch inspected = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var held = sign(user, "avatar", "image/png", 64);
        FaultInjection.AFTER_INSPECT.put(held.key(), () -> {
            inspected.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(put(held, png(64))).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> inspected.getCount() == 0);

            List<String> next = IntStream.range(0, 3)
                    .mapToObj(i ->
                            upload(user, "avatar", "image/png", png(100 + i)).key())
                    .toList();

            await().atMost(UNDER_THE_LIBRARY_WAIT)
                    .until(() -> next.stream()
                            .allMatch(key -> ledger.findByKey(bucket(), key)
                                    .filter(u -> u.status() == UploadStatus.ACCEPTED)
                                    .isPresent()));
            assertThat(ledger.findByKey(bucket(), held.key()))
                    .get()
                    .extracting(u -> u.status())
                    .as("still held in inspection")
                    .isEqualTo(UploadStatus.RESERVED);
        } finally {
            release.countDown();
            FaultInjection.AFTER_INSPECT.remove(held.key());
        }
        assertThat(awaitVerdict(held.key()).status()).isEqualTo(UploadStatus.ACCEPTED);
    }
}
