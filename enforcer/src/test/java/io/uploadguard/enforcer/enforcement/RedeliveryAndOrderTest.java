package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.TestEvents;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Exactly-once books on at-least-once delivery: duplicates, a crash between acting and booking,
 * deletes before creates. Where the order of events matters, the listener is paused and the
 * events are handed to the processor in the order under test.
 */
@Tag("integration")
class RedeliveryAndOrderTest extends EnforcerIntegrationTest {

    @Autowired
    EventProcessor processor;

    @Test
    void aDuplicatedEventChangesNothing() {
        String user = newUser();
        Signed signed = upload(user, "avatar", "image/png", png(1234));
        Upload first = awaitVerdict(signed.key());
        Map<String, Object> books = account(user).orElseThrow();

        String event = TestEvents.created(bucket(), signed.key(), 1234);
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(r -> r.queueUrl(eventsQueueUrl()).messageBody(event));
        }
        await().atMost(Duration.ofSeconds(30)).until(this::queueDrained);

        assertThat(ledger.findByKey(bucket(), signed.key()).orElseThrow()).isEqualTo(first);
        assertThat(account(user).orElseThrow()).isEqualTo(books);
        assertThat(exists(bucket(), layout.servedKey(signed.key()))).isTrue();
    }

    @Test
    void aCrashBetweenActingAndBookingIsRecoveredOnRedelivery() {
        String user = newUser();
        Signed signed = sign(user, "avatar", "image/png", 2000);
        CRASH_AFTER_ACT.add(signed.key());

        assertThat(put(signed, png(2000))).isEqualTo(200);
        Upload upload = awaitVerdict(signed.key());

        assertThat(CRASH_AFTER_ACT).as("the crash happened").doesNotContain(signed.key());
        assertThat(upload.status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(upload.realSize()).isEqualTo(2000);
        assertUsage(user, 2000, 1, 0);
    }

    @Test
    void aCrashAfterQuarantiningIsRecoveredWithTheSameReasons() {
        String user = newUser();
        Signed signed = sign(user, "avatar", "image/png", 900);
        CRASH_AFTER_ACT.add(signed.key());

        assertThat(put(signed, html(900))).isEqualTo(200);
        Upload upload = awaitVerdict(signed.key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("TYPE_MISMATCH");
        assertThat(account(user).orElseThrow().get("violations")).isEqualTo(1);
        assertThat(exists(bucket(), layout.quarantineKey(signed.key()))).isTrue();
    }

    @Test
    void aDeleteBeforeItsCreateLeavesTheSameStateAsInOrder() {
        String user = newUser();
        pauseListenerAndPurge();
        Signed signed = upload(user, "avatar", "image/png", png(300));
        s3.deleteObject(r -> r.bucket(bucket()).key(signed.key()));

        processor.process("removed", TestEvents.removed(bucket(), signed.key()));
        processor.process("created", TestEvents.created(bucket(), signed.key(), 300));
        processor.process("created-again", TestEvents.created(bucket(), signed.key(), 300));

        Upload upload = ledger.findByKey(bucket(), signed.key()).orElseThrow();
        assertThat(upload.status()).isIn(UploadStatus.REMOVED, UploadStatus.GONE);
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_reserved")).isEqualTo(0L);
        assertThat(account.get("bytes_used")).isEqualTo(0L);
        assertThat(exists(bucket(), layout.servedKey(signed.key()))).isFalse();
        assertThat(exists(bucket(), layout.quarantineKey(signed.key()))).isFalse();
    }

    @Test
    void theSameCreateTwiceAndItsOwnIncomingRemovalInAnyOrderBookOnce() {
        String user = newUser();
        pauseListenerAndPurge();
        Signed signed = upload(user, "avatar", "image/png", png(640));

        processor.process("c1", TestEvents.created(bucket(), signed.key(), 640));
        // the enforcer's own delete of the incoming object, then the create again
        processor.process("r1", TestEvents.removed(bucket(), signed.key()));
        processor.process("c2", TestEvents.created(bucket(), signed.key(), 640));

        Upload upload = ledger.findByKey(bucket(), signed.key()).orElseThrow();
        assertThat(upload.status()).isEqualTo(UploadStatus.ACCEPTED);
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_used")).isEqualTo(640L);
        assertThat(account.get("objects_used")).isEqualTo(1L);
        assertThat(account.get("bytes_reserved")).isEqualTo(0L);
    }

    @Test
    void theRemovalOfAnObjectMovedByAnAttemptThatDiedBeforeBookingSettlesItAtOnce() {
        String user = newUser();
        pauseListenerAndPurge();
        Signed accepted = upload(user, "avatar", "image/png", png(700));
        Signed quarantined = upload(user, "avatar", "image/png", html(800));
        CRASH_AFTER_ACT.add(accepted.key());
        CRASH_AFTER_ACT.add(quarantined.key());

        for (Signed signed : List.of(accepted, quarantined)) {
            String created = TestEvents.created(bucket(), signed.key(), signed == accepted ? 700 : 800);
            assertThatThrownBy(() -> processor.process("c1", created)).hasMessageContaining("simulated crash");
            assertThat(exists(bucket(), signed.key()))
                    .as("moved before the crash")
                    .isFalse();
            // the removal event of that attempt's own delete comes long before the create is redelivered
            processor.process("r1", TestEvents.removed(bucket(), signed.key()));
        }

        Upload promoted = ledger.findByKey(bucket(), accepted.key()).orElseThrow();
        assertThat(promoted.status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(promoted.realSize()).isEqualTo(700);
        Upload rejected = ledger.findByKey(bucket(), quarantined.key()).orElseThrow();
        assertThat(rejected.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(rejected.reasons()).contains("TYPE_MISMATCH");
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_used")).isEqualTo(700L);
        assertThat(account.get("objects_used")).isEqualTo(1L);
        assertThat(account.get("bytes_reserved")).isEqualTo(0L);
        assertThat(account.get("violations")).isEqualTo(1);

        // the redelivered creates and removals change nothing
        String verdictsBefore = verdictLines(scrape());
        for (Signed signed : List.of(accepted, quarantined)) {
            processor.process("c1-again", TestEvents.created(bucket(), signed.key(), 700));
            processor.process("r1-again", TestEvents.removed(bucket(), signed.key()));
        }
        assertThat(ledger.findByKey(bucket(), accepted.key()).orElseThrow()).isEqualTo(promoted);
        assertThat(ledger.findByKey(bucket(), quarantined.key()).orElseThrow()).isEqualTo(rejected);
        assertThat(account(user).orElseThrow()).isEqualTo(account);
        assertThat(verdictLines(scrape())).as("verdicts counted once").isEqualTo(verdictsBefore);
    }

    private static String verdictLines(String scrape) {
        return scrape.lines()
                .filter(l -> l.startsWith("uploadguard_verdict"))
                .sorted()
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void snsWrappedAndEventBridgeEventsAreEnforcedToo() {
        String user = newUser();
        pauseListenerAndPurge();
        Signed viaSns = upload(user, "avatar", "image/png", png(111));
        Signed viaEventBridge = upload(user, "avatar", "image/png", html(222));

        processor.process("sns", TestEvents.viaSns(TestEvents.created(bucket(), viaSns.key(), 111)));
        processor.process("eb", TestEvents.viaEventBridge(bucket(), viaEventBridge.key(), 222));

        assertThat(ledger.findByKey(bucket(), viaSns.key()).orElseThrow().status())
                .isEqualTo(UploadStatus.ACCEPTED);
        assertThat(ledger.findByKey(bucket(), viaEventBridge.key())
                        .orElseThrow()
                        .status())
                .isEqualTo(UploadStatus.REJECTED);
    }
}
