package io.uploadguard.enforcer.notifications;

import io.uploadguard.ledger.notifications.ChannelRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** The channels configured: every webhook, and EventBridge and SNS where a bus or topic is set. */
final class NotificationChannels implements AutoCloseable {

    static final String EVENTBRIDGE = "eventbridge";
    static final String SNS = "sns";

    private final List<NotificationChannel> all;
    private final List<AutoCloseable> clients;

    private NotificationChannels(List<NotificationChannel> all, List<AutoCloseable> clients) {
        this.all = List.copyOf(all);
        this.clients = List.copyOf(clients);
    }

    /**
     * @param region and {@code credentials}: the application's (Spring Cloud AWS's), for the AWS
     *     channels only
     */
    static NotificationChannels from(
            NotificationProperties properties,
            HttpClient http,
            Clock clock,
            AwsRegionProvider region,
            AwsCredentialsProvider credentials) {
        List<NotificationChannel> channels = new ArrayList<>();
        List<AutoCloseable> clients = new ArrayList<>();
        for (int i = 0; i < properties.webhooks().size(); i++) {
            NotificationProperties.Webhook webhook = properties.webhooks().get(i);
            ChannelRoute route = new ChannelRoute(webhook.channelName(i), webhook.profiles(), webhook.events());
            channels.add(new WebhookChannel(route, webhook, http, properties.requestTimeout(), clock));
        }
        ClientOverrideConfiguration timeouts = ClientOverrideConfiguration.builder()
                .apiCallTimeout(properties.requestTimeout())
                .build();
        if (properties.eventbridge().enabled()) {
            EventBridgeClient client = aws(
                            EventBridgeClient.builder(),
                            properties.eventbridge().endpoint(),
                            region,
                            credentials)
                    .overrideConfiguration(timeouts)
                    .build();
            clients.add(client);
            channels.add(new EventBridgeChannel(
                    new ChannelRoute(EVENTBRIDGE, Set.of(), Set.of()),
                    client,
                    properties.eventbridge().busName()));
        }
        if (properties.sns().enabled()) {
            SnsClient client = aws(SnsClient.builder(), properties.sns().endpoint(), region, credentials)
                    .overrideConfiguration(timeouts)
                    .build();
            clients.add(client);
            channels.add(new SnsChannel(
                    new ChannelRoute(SNS, Set.of(), Set.of()),
                    client,
                    properties.sns().topicArn()));
        }
        return new NotificationChannels(channels, clients);
    }

    /** For tests: channels made by hand. */
    static NotificationChannels of(List<NotificationChannel> channels) {
        return new NotificationChannels(channels, List.of());
    }

    List<NotificationChannel> all() {
        return all;
    }

    List<String> names() {
        return all.stream().map(c -> c.route().channel()).toList();
    }

    private static <B extends AwsClientBuilder<B, ?>> B aws(
            B builder, String endpoint, AwsRegionProvider region, AwsCredentialsProvider credentials) {
        builder.region(region.getRegion()).credentialsProvider(credentials);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
    }
}
