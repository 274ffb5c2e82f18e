package io.uploadguard.enforcer.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import tools.jackson.databind.JsonNode;

/**
 * The EventBridge and SNS channels' requests as AWS receives them, recorded by a local HTTP server
 * standing in for the endpoints (real HTTP through the real SDK clients, no mocks).
 */
@Tag("integration")
class AwsChannelsTest {

    record Recorded(String target, String body) {}

    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile String answer = "";
    private HttpServer server;
    private URI endpoint;

    private final Delivery delivery = new Delivery(
            UUID.randomUUID(),
            "x",
            1,
            "upload.accepted",
            "{\"id\":\"e1\",\"type\":\"upload.accepted\",\"data\":{\"clientReference\":\"ref 42\"}}",
            Instant.parse("2026-01-31T10:00:00Z"),
            Instant.parse("2026-02-01T10:00:00Z"));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Recorded(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body));
                byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.get(), reply.length);
                exchange.getResponseBody().write(reply);
            }
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static ChannelRoute route(String name) {
        return new ChannelRoute(name, Set.of(), Set.of());
    }

    private EventBridgeClient eventBridge() {
        return EventBridgeClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .build();
    }

    private SnsClient sns() {
        return SnsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .build();
    }

    @Test
    void eventBridgeGetsOnePutEventsEntryWithThePayloadAsDetail() throws Exception {
        answer = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"1\"}]}";
        try (EventBridgeClient client = eventBridge()) {
            new EventBridgeChannel(route("eventbridge"), client, "uploads-bus").send(delivery);
        }

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).target()).isEqualTo("AWSEvents.PutEvents");
        JsonNode entry =
                NotificationTests.json(requests.get(0).body()).get("Entries").get(0);
        assertThat(entry.get("Source").asString()).isEqualTo("uploadguard");
        assertThat(entry.get("DetailType").asString()).isEqualTo("UploadGuard Upload Accepted");
        assertThat(entry.get("EventBusName").asString()).isEqualTo("uploads-bus");
        assertThat(entry.get("Detail").asString()).isEqualTo(delivery.payload());
    }

    @Test
    void aRefusedEventBridgeEntryIsAFailureToRetry() {
        answer = "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\"}]}";
        try (EventBridgeClient client = eventBridge()) {
            assertThatThrownBy(() -> new EventBridgeChannel(route("eventbridge"), client, "b").send(delivery))
                    .isInstanceOf(NotificationChannel.DeliveryFailure.class)
                    .hasMessageContaining("ThrottlingException");
        }
    }

    @Test
    void snsGetsOnePublishWithThePayloadAndItsType() throws Exception {
        answer = "<PublishResponse><PublishResult><MessageId>m1</MessageId></PublishResult></PublishResponse>";
        String topic = "arn:aws:sns:eu-west-1:000000000000:uploads";
        try (SnsClient client = sns()) {
            new SnsChannel(route("sns"), client, topic).send(delivery);
        }

        assertThat(requests).hasSize(1);
        Map<String, String> form = form(requests.get(0).body());
        assertThat(form)
                .containsEntry("Action", "Publish")
                .containsEntry("TopicArn", topic)
                .containsEntry("Message", delivery.payload())
                .containsEntry("MessageAttributes.entry.1.Name", "type")
                .containsEntry("MessageAttributes.entry.1.Value.StringValue", "upload.accepted");
    }

    @Test
    void anSnsErrorIsAFailureToRetryWithItsCode() {
        status.set(400);
        answer = "<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>no topic</Message>"
                + "</Error></ErrorResponse>";
        try (SnsClient client = sns()) {
            assertThatThrownBy(() -> new SnsChannel(route("sns"), client, "arn:aws:sns:eu-west-1:0:x").send(delivery))
                    .isInstanceOf(NotificationChannel.DeliveryFailure.class)
                    .hasMessageContaining("NotFound");
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }
}
