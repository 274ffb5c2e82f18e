package io.uploadguard.enforcer.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.ledger.UploadStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Malformed messages are never acknowledged as processed: they are received maxReceiveCount times
 * (3 in these tests), land in the dead-letter queue, are counted, and the worker carries on.
 */
@Tag("integration")
class PoisonMessageTest extends EnforcerIntegrationTest {

    @Test
    void malformedMessagesEndInTheDeadLetterQueueAndTheWorkerStaysHealthy() {
        String marker = UUID.randomUUID().toString();
        List<String> poison = List.of(
                "not json " + marker,
                "{\"marker\":\"" + marker + "\",\"Records\":\"not a list\"}",
                "{\"Records\":[{\"eventVersion\":\"9.0\",\"eventName\":\"ObjectCreated:Put\",\"marker\":\"" + marker
                        + "\"}]}",
                "[\"" + marker + "\"," + "1".repeat(250 * 1024) + "]");
        poison.forEach(body -> sqs.sendMessage(r -> r.queueUrl(eventsQueueUrl()).messageBody(body)));

        List<String> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(deadLetterQueueUrl())
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1))
                    .messages()) {
                if (m.body().contains(marker)) {
                    dead.add(m.body());
                }
                sqs.deleteMessage(r -> r.queueUrl(deadLetterQueueUrl()).receiptHandle(m.receiptHandle()));
            }
            return dead.size() == poison.size();
        });
        assertThat(dead).containsExactlyInAnyOrderElementsOf(poison);
        assertThat(scrape())
                .containsPattern(
                        "uploadguard_events_total\\{[^}]*kind=\"malformed\",outcome=\"failed\"[^}]*} ([1-9]\\d*)");

        // and the worker still enforces
        var upload =
                awaitVerdict(upload(newUser(), "avatar", "image/png", png(64)).key());
        assertThat(upload.status()).isEqualTo(UploadStatus.ACCEPTED);
    }
}
