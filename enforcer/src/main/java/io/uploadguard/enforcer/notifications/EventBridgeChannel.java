package io.uploadguard.enforcer.notifications;

import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * An EventBridge bus: the event as the {@code detail} of a {@code PutEvents} entry with source
 * {@code uploadguard} and a detail-type such as {@code UploadGuard Upload Accepted}, so that rules
 * can match on either.
 */
final class EventBridgeChannel implements NotificationChannel {

    static final String SOURCE = "uploadguard";

    private final ChannelRoute route;
    private final EventBridgeClient client;
    private final String busName;

    EventBridgeChannel(ChannelRoute route, EventBridgeClient client, String busName) {
        this.route = route;
        this.client = client;
        this.busName = busName;
    }

    @Override
    public ChannelRoute route() {
        return route;
    }

    /** {@code upload.accepted} is {@code UploadGuard Upload Accepted}. */
    static String detailType(String type) {
        return "UploadGuard "
                + Arrays.stream(type.split("\\."))
                        .map(word -> word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1))
                        .collect(Collectors.joining(" "));
    }

    @Override
    public void send(Delivery delivery) throws DeliveryFailure {
        PutEventsResponse response;
        try {
            response = client.putEvents(r -> r.entries(PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(SOURCE)
                    .detailType(detailType(delivery.type()))
                    .detail(delivery.payload())
                    .time(delivery.createdAt())
                    .build()));
        } catch (SdkException e) {
            throw new DeliveryFailure("PutEvents failed: " + AwsFailures.describe(e));
        }
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new DeliveryFailure(
                    "PutEvents refused the entry: " + response.entries().get(0).errorCode());
        }
    }
}
