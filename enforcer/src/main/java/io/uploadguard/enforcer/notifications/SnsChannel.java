package io.uploadguard.enforcer.notifications;

import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * An SNS topic: the event as the message, its type as the {@code type} message attribute, so that
 * subscriptions can filter on it.
 */
final class SnsChannel implements NotificationChannel {

    private final ChannelRoute route;
    private final SnsClient client;
    private final String topicArn;

    SnsChannel(ChannelRoute route, SnsClient client, String topicArn) {
        this.route = route;
        this.client = client;
        this.topicArn = topicArn;
    }

    @Override
    public ChannelRoute route() {
        return route;
    }

    @Override
    public void send(Delivery delivery) throws DeliveryFailure {
        try {
            client.publish(r -> r.topicArn(topicArn)
                    .message(delivery.payload())
                    .messageAttributes(Map.of(
                            "type",
                            MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue(delivery.type())
                                    .build())));
        } catch (SdkException e) {
            throw new DeliveryFailure("Publish failed: " + AwsFailures.describe(e));
        }
    }
}
