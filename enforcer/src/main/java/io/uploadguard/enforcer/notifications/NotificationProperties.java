package io.uploadguard.enforcer.notifications;

import io.uploadguard.ledger.notifications.NotificationType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where notifications go and how hard the dispatcher tries, bound from
 * {@code uploadguard.notifications.*}. Endpoints come from configuration only, never from a request.
 *
 * @param dispatch whether this instance runs the dispatcher loop (the outbox is written regardless);
 *     only in server mode: a Lambda function never runs it, the {@code dispatchNotifications} function
 *     does one round per scheduled invocation instead
 * @param allowHttp plain-HTTP webhook URLs are refused unless this is set (local mode only)
 * @param pollInterval how long the dispatcher waits between polls when it found nothing to do
 * @param batchSize deliveries claimed per poll
 * @param concurrency deliveries sent at once
 * @param requestTimeout per request (a webhook or an AWS call); a slower answer counts as a failure
 * @param horizon how long a delivery is retried before it is marked failed
 * @param firstRetry the back-off after the first failure; doubled after each, with jitter
 * @param maxRetry the longest back-off
 * @param metricsInterval how often the pending counts and the oldest age are read for the gauges
 *     (and delivered events past their retention deleted)
 * @param retention how long an event every channel took is kept (failed and pending ones stay)
 */
@ConfigurationProperties("uploadguard.notifications")
public record NotificationProperties(
        @DefaultValue("true") boolean dispatch,
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("50") int batchSize,
        @DefaultValue("4") int concurrency,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("24h") Duration horizon,
        @DefaultValue("5s") Duration firstRetry,
        @DefaultValue("1h") Duration maxRetry,
        @DefaultValue("15s") Duration metricsInterval,
        @DefaultValue("7d") Duration retention,
        @DefaultValue List<Webhook> webhooks,
        @DefaultValue EventBridge eventbridge,
        @DefaultValue Sns sns) {

    public NotificationProperties {
        if (batchSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException(
                    "uploadguard.notifications.batch-size and concurrency must be at least 1");
        }
        if (firstRetry.isNegative() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException(
                    "uploadguard.notifications.first-retry must be at least 0 and max-retry at least first-retry");
        }
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        for (int i = 0; i < webhooks.size(); i++) {
            webhooks.get(i).check(i, allowHttp);
        }
    }

    /**
     * One webhook endpoint.
     *
     * @param name the channel's name in deliveries, metrics and the admin API; {@code webhook-<n>}
     *     if empty. Keep it when reordering the list: undelivered events follow the name
     * @param secrets one, or two while rotating, each {@code whsec_} and base64 of at least 24 bytes
     * @param profiles only upload events of these profiles (user events always go); empty for all
     * @param events only these event types; empty for all
     */
    public record Webhook(
            @DefaultValue("") String name,
            URI url,
            @DefaultValue List<String> secrets,
            @DefaultValue Set<String> profiles,
            @DefaultValue Set<String> events) {

        public Webhook {
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
            profiles = profiles == null ? Set.of() : Set.copyOf(profiles);
            events = events == null ? Set.of() : Set.copyOf(events);
        }

        String channelName(int index) {
            return name.isBlank() ? "webhook-" + index : name;
        }

        private void check(int index, boolean allowHttp) {
            String property = "uploadguard.notifications.webhooks[" + index + "]";
            if (url == null || url.getHost() == null) {
                throw new IllegalArgumentException(property + ".url must be an absolute URL");
            }
            boolean https = "https".equalsIgnoreCase(url.getScheme());
            if (!https && !(allowHttp && "http".equalsIgnoreCase(url.getScheme()))) {
                throw new IllegalArgumentException(property + ".url must use https"
                        + " (plain http only with uploadguard.notifications.allow-http=true, for local runs)");
            }
            if (secrets.isEmpty() || secrets.size() > 2) {
                throw new IllegalArgumentException(property + ".secrets must hold one secret, or two while rotating");
            }
            secrets.forEach(secret -> WebhookSignature.key(secret, property + ".secrets"));
            events.forEach(type -> {
                if (NotificationType.fromWireName(type).isEmpty()) {
                    throw new IllegalArgumentException(property + ".events names an unknown event type: " + type);
                }
            });
        }
    }

    /**
     * @param busName the event bus to put events on; empty turns the channel off
     * @param endpoint another endpoint than AWS's (tests, LocalStack); empty for AWS's
     */
    public record EventBridge(
            @DefaultValue("") String busName,
            @DefaultValue("") String endpoint) {

        boolean enabled() {
            return !busName.isBlank();
        }
    }

    /**
     * @param topicArn the topic to publish to; empty turns the channel off
     * @param endpoint another endpoint than AWS's (tests, LocalStack); empty for AWS's
     */
    public record Sns(
            @DefaultValue("") String topicArn,
            @DefaultValue("") String endpoint) {

        boolean enabled() {
            return !topicArn.isBlank();
        }
    }
}
