package io.uploadguard.enforcer.notifications;

import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A webhook endpoint: the event as the body of a POST, signed the Standard Webhooks way. A 2xx
 * answer is a delivery; any other answer, no answer within the timeout or no connection is a
 * failure to retry. Redirects are not followed: the endpoint is what was configured.
 */
final class WebhookChannel implements NotificationChannel {

    private final ChannelRoute route;
    private final NotificationProperties.Webhook webhook;
    private final List<byte[]> keys;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;

    WebhookChannel(
            ChannelRoute route,
            NotificationProperties.Webhook webhook,
            HttpClient http,
            Duration timeout,
            Clock clock) {
        this.route = route;
        this.webhook = webhook;
        this.keys = webhook.secrets().stream()
                .map(secret -> WebhookSignature.key(secret, route.channel()))
                .toList();
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public ChannelRoute route() {
        return route;
    }

    @Override
    public void send(Delivery delivery) throws DeliveryFailure {
        String id = delivery.eventId().toString();
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(webhook.url())
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.header(id, timestamp, delivery.payload(), keys))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                .build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure("no answer within " + timeout);
        } catch (IOException e) {
            throw new DeliveryFailure(
                    "could not reach the endpoint: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted");
        }
        if (status < 200 || status > 299) {
            throw new DeliveryFailure("answered HTTP " + status);
        }
    }
}
