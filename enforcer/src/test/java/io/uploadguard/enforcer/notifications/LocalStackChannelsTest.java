package io.uploadguard.enforcer.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The EventBridge and SNS channels against LocalStack: what a subscriber's queue receives is the
 * event. Skipped, with the reason, where no Docker engine runs.
 */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackChannelsTest {

    @Container
    static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer("localstack/localstack:4.9").withServices("sns", "sqs", "events");

    private final Delivery delivery = new Delivery(
            UUID.randomUUID(),
            "x",
            1,
            "upload.rejected",
            "{\"id\":\"e2\",\"type\":\"upload.rejected\",\"data\":{\"reasons\":[\"TYPE_MISMATCH\"]}}",
            Instant.now(),
            Instant.now().plusSeconds(3600));

    private static <B extends AwsClientBuilder<B, ?>> B local(B builder) {
        return builder.endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())));
    }

    @Test
    void anSnsSubscriberReceivesTheEvent() {
        try (SnsClient sns = local(SnsClient.builder()).build();
                SqsClient sqs = local(SqsClient.builder()).build()) {
            String topic =
                    sns.createTopic(r -> r.name("uploads-" + UUID.randomUUID())).topicArn();
            String queue = sqs.createQueue(r -> r.queueName("sns-" + UUID.randomUUID()))
                    .queueUrl();
            sns.subscribe(r -> r.topicArn(topic)
                    .protocol("sqs")
                    .endpoint(arn(sqs, queue))
                    .attributes(Map.of("RawMessageDelivery", "true")));

            new SnsChannel(new ChannelRoute("sns", Set.of(), Set.of()), sns, topic).send(delivery);

            assertThat(receive(sqs, queue).body()).isEqualTo(delivery.payload());
        } catch (NotificationChannel.DeliveryFailure e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEventBridgeRuleOnTheSourceReceivesTheEventAsDetail() {
        try (EventBridgeClient events = local(EventBridgeClient.builder()).build();
                SqsClient sqs = local(SqsClient.builder()).build()) {
            String bus = "uploads-" + UUID.randomUUID();
            events.createEventBus(r -> r.name(bus));
            String queue =
                    sqs.createQueue(r -> r.queueName("eb-" + UUID.randomUUID())).queueUrl();
            events.putRule(r -> r.name("uploadguard").eventBusName(bus).eventPattern("{\"source\":[\"uploadguard\"]}"));
            events.putTargets(r -> r.rule("uploadguard")
                    .eventBusName(bus)
                    .targets(t -> t.id("queue").arn(arn(sqs, queue))));

            new EventBridgeChannel(new ChannelRoute("eventbridge", Set.of(), Set.of()), events, bus).send(delivery);

            var event = NotificationTests.json(receive(sqs, queue).body());
            assertThat(event.get("detail-type").asString()).isEqualTo("UploadGuard Upload Rejected");
            assertThat(event.get("source").asString()).isEqualTo("uploadguard");
            assertThat(event.get("detail").get("id").asString()).isEqualTo("e2");
        } catch (NotificationChannel.DeliveryFailure e) {
            throw new AssertionError(e);
        }
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private static Message receive(SqsClient sqs, String queueUrl) {
        List<Message> messages = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1))
                                .messages(),
                        list -> !list.isEmpty());
        return messages.get(0);
    }
}
