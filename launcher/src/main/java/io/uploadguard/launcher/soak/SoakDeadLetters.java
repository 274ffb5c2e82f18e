package io.uploadguard.launcher.soak;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The sandbox's dead-letter queue as an operator sees it: how deep it is, and the redrive that
 * moves its messages back to the events queue (receive, send, delete: what SQS's "start DLQ
 * redrive" does, which ElasticMQ lacks). Redelivery is safe because every step is idempotent.
 */
final class SoakDeadLetters implements AutoCloseable {

    static {
        // the SDK logs through SLF4J and the launcher has no provider (it prints its own lines): no warning about it
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final String eventsQueueUrl;

    SoakDeadLetters(SandboxEndpoints sandbox) {
        this.sqs = SqsClient.builder()
                .endpointOverride(URI.create(sandbox.sqsEndpoint()))
                .region(Region.of(sandbox.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(sandbox.accessKey(), sandbox.secretKey())))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(20))
                        .build())
                .build();
        this.deadLetterQueueUrl = sandbox.deadLetterQueueUrl();
        this.eventsQueueUrl = sandbox.eventsQueueUrl();
    }

    /** Messages waiting in the dead-letter queue (SQS's approximate count; exact on ElasticMQ at rest). */
    int depth() {
        String count = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return count == null ? 0 : Integer.parseInt(count);
    }

    /** Moves every message now in the dead-letter queue back to the events queue; returns how many. */
    int redrive() {
        int moved = 0;
        while (true) {
            var batch = sqs.receiveMessage(r -> r.queueUrl(deadLetterQueueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1))
                    .messages();
            if (batch.isEmpty()) {
                return moved;
            }
            for (Message m : batch) {
                // sent before deleted: a crash in between leaves a duplicate, never a loss
                sqs.sendMessage(r -> r.queueUrl(eventsQueueUrl).messageBody(m.body()));
                sqs.deleteMessage(r -> r.queueUrl(deadLetterQueueUrl).receiptHandle(m.receiptHandle()));
                moved++;
            }
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
