package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.reconciliation.Reconciler;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * At-least-once delivery at scale: the real events of a stream of uploads (honest, disguised, and
 * deleted by their uploader before inspection) are each delivered twice, in a random order (so
 * deletes come before creates and the same create comes twice, on concurrent consumers), and the
 * books and the bucket end as after one clean, ordered delivery. The seed is printed; set
 * {@code -Duploadguard.shuffle.seed=N} to replay a run.
 */
@Tag("integration")
class ShuffledDeliveryTest extends EnforcerIntegrationTest {

    private static final int UPLOADS = 100;
    private static final int USERS = 5;

    @Autowired
    Reconciler reconciler;

    @Test
    void everyEventTwiceInARandomOrderBooksTheSameAsOneOrderedDelivery() {
        long seed = Long.getLong("uploadguard.shuffle.seed", System.nanoTime());
        pauseListenerAndPurge();

        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(newUser());
        }
        Map<String, String> expected = new HashMap<>(); // key -> ACCEPTED, REJECTED or GONE
        Map<String, Long> usedBytes = new HashMap<>();
        Map<String, Integer> violations = new HashMap<>();
        Map<String, String> owner = new HashMap<>();
        for (int i = 0; i < UPLOADS; i++) {
            // two disguised uploads per user, below the three violations that block: which upload a
            // block hits depends on the order of processing, so no order-free outcome exists beyond it
            String user = users.get((i + i / 10) % USERS);
            int size = 300 + i;
            if (i % 10 == 3) {
                String key = upload(user, "avatar", "image/png", html(size)).key();
                expected.put(key, "REJECTED");
                violations.merge(user, 1, Integer::sum);
                owner.put(key, user);
            } else if (i % 10 == 7) {
                String key = upload(user, "avatar", "image/png", png(size)).key();
                s3.deleteObject(r -> r.bucket(bucket()).key(key));
                expected.put(key, "GONE");
                owner.put(key, user);
            } else {
                String key = upload(user, "avatar", "image/png", png(size)).key();
                expected.put(key, "ACCEPTED");
                usedBytes.merge(user, (long) size, Long::sum);
                owner.put(key, user);
            }
        }
        int removals = (int) expected.values().stream().filter("GONE"::equals).count();

        // the events S3 sent, taken off the queue before anyone saw them
        List<String> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Message> batch = sqs.receiveMessage(r ->
                            r.queueUrl(eventsQueueUrl()).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            for (Message m : batch) {
                events.add(m.body());
                sqs.deleteMessage(r -> r.queueUrl(eventsQueueUrl()).receiptHandle(m.receiptHandle()));
            }
            return events.size() >= UPLOADS + removals;
        });
        assertThat(events).hasSize(UPLOADS + removals);

        List<String> delivery = new ArrayList<>(events);
        delivery.addAll(events);
        Collections.shuffle(delivery, new Random(seed));
        int deletesBeforeCreates = 0;
        for (String key : expected.keySet()) {
            if ("GONE".equals(expected.get(key))
                    && firstIndex(delivery, key, "ObjectRemoved") < firstIndex(delivery, key, "ObjectCreated")) {
                deletesBeforeCreates++;
            }
        }
        for (int from = 0; from < delivery.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, delivery.size()); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id("m" + i)
                        .messageBody(delivery.get(i))
                        .build());
            }
            assertThat(sqs.sendMessageBatch(r -> r.queueUrl(eventsQueueUrl()).entries(entries))
                            .failed())
                    .isEmpty();
        }

        long started = System.nanoTime();
        listeners.getListenerContainers().forEach(c -> c.start());
        await().atMost(Duration.ofSeconds(120))
                .until(() -> expected.keySet().stream()
                        .allMatch(k -> ledger.findByKey(bucket(), k)
                                .map(u -> u.settledAt() != null)
                                .orElse(false)));
        await().atMost(Duration.ofSeconds(60)).until(this::queueDrained);
        double seconds = (System.nanoTime() - started) / 1e9;

        for (Map.Entry<String, String> e : expected.entrySet()) {
            Upload upload = ledger.findByKey(bucket(), e.getKey()).orElseThrow();
            assertThat(upload.status()).as(e.getKey()).isEqualTo(UploadStatus.valueOf(e.getValue()));
            assertThat(exists(bucket(), layout.servedKey(e.getKey())))
                    .as("served " + e.getKey())
                    .isEqualTo("ACCEPTED".equals(e.getValue()));
            assertThat(exists(bucket(), layout.quarantineKey(e.getKey())))
                    .as("quarantined " + e.getKey())
                    .isEqualTo("REJECTED".equals(e.getValue()));
            assertThat(exists(bucket(), e.getKey()))
                    .as("left incoming " + e.getKey())
                    .isFalse();
        }
        for (String user : users) {
            var account = account(user).orElseThrow();
            assertThat(account.get("bytes_used")).as(user).isEqualTo(usedBytes.getOrDefault(user, 0L));
            assertThat(account.get("objects_used"))
                    .as(user)
                    .isEqualTo(expected.entrySet().stream()
                            .filter(e -> owner.get(e.getKey()).equals(user) && "ACCEPTED".equals(e.getValue()))
                            .count());
            assertThat(account.get("bytes_reserved")).as(user).isEqualTo(0L);
            assertThat(account.get("objects_reserved")).as(user).isEqualTo(0L);
            assertThat(account.get("violations")).as(user).isEqualTo(violations.getOrDefault(user, 0));
        }
        String dlq = sqs.getQueueAttributes(
                        r -> r.queueUrl(deadLetterQueueUrl()).attributeNamesWithStrings("ApproximateNumberOfMessages"))
                .attributesAsStrings()
                .get("ApproximateNumberOfMessages");
        assertThat(dlq).as("messages in the dead-letter queue").isEqualTo("0");
        var report = reconciler.check(Duration.ofSeconds(30));
        assertThat(report.accountDrift()).isEmpty();
        assertThat(report.consistent()).as(report.toString()).isTrue();

        System.out.printf(
                "FAULT every event twice, shuffled (seed %d): uploads=%d events=%d delivered=%d "
                        + "deletes-before-creates=%d/%d settled=%d in %.1f s dlq=%s consistent=%s%n",
                seed,
                UPLOADS,
                events.size(),
                delivery.size(),
                deletesBeforeCreates,
                removals,
                expected.size(),
                seconds,
                dlq,
                report.consistent());
    }

    private static int firstIndex(List<String> delivery, String key, String eventName) {
        String encodedKey = key.replace("/", "%2F");
        for (int i = 0; i < delivery.size(); i++) {
            String body = delivery.get(i);
            if (body.contains(eventName) && (body.contains(key) || body.contains(encodedKey))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
