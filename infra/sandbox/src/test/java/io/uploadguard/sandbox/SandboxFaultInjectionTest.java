package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The control endpoint takes each server away and brings it back on the same port with its
 * state, which is what the fault tests of the services rely on.
 */
@Tag("integration")
@ExtendWith(SandboxTarget.Extension.class)
class SandboxFaultInjectionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final SandboxTarget target;
    private final SandboxEndpoints endpoints;

    SandboxFaultInjectionTest(SandboxTarget target) {
        this.target = target;
        this.endpoints = target.sandbox().endpoints();
    }

    @AfterEach
    void everythingRunsAgain() {
        for (String part : List.of("s3", "sqs", "postgres")) {
            assertThat(control(part, "start")).endsWith("running");
        }
    }

    @Test
    void sqsUnreachableKeepsItsQueuesAndTheEventsS3SentMeanwhile() {
        try (S3Client s3 = target.s3();
                SqsClient sqs = target.sqs()) {
            String bucket = "faults-" + UUID.randomUUID().toString().substring(0, 8);
            String queueUrl = target.createQueue(sqs, bucket, java.util.Map.of());
            s3.createBucket(r -> r.bucket(bucket));
            target.putNotificationConfiguration(
                    bucket,
                    NotificationConfiguration.builder()
                            .queueConfigurations(QueueConfiguration.builder()
                                    .id("all")
                                    .queueArn(target.queueArn(sqs, queueUrl))
                                    .eventsWithStrings("s3:ObjectCreated:*")
                                    .build())
                            .build());
            s3.putObject(r -> r.bucket(bucket).key("before.txt"), RequestBody.fromString("before"));

            assertThat(control("sqs", "stop")).isEqualTo("SQS stopped");
            assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName(bucket))).isInstanceOf(SdkClientException.class);
            // S3 delivers its notifications on AWS's side, not over the client's broken path
            s3.putObject(r -> r.bucket(bucket).key("during.txt"), RequestBody.fromString("during"));

            assertThat(control("sqs", "start")).isEqualTo("SQS running");
            assertThat(sqs.getQueueUrl(r -> r.queueName(bucket)).queueUrl()).isEqualTo(queueUrl);
            List<String> bodies = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                sqs
                        .receiveMessage(r ->
                                r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages()
                        .stream()
                        .map(Message::body)
                        .forEach(bodies::add);
                return bodies.stream().filter(b -> b.contains("ObjectCreated")).count() == 2;
            });
            assertThat(String.join("\n", bodies)).contains("before.txt", "during.txt");
        }
    }

    @Test
    void s3StoppedRefusesConnectionsAndComesBackWithItsObjects() {
        try (S3Client s3 = target.s3()) {
            String key = "faults/" + UUID.randomUUID();
            s3.putObject(r -> r.bucket(endpoints.bucket()).key(key), RequestBody.fromString("kept"));

            assertThat(control("s3", "stop")).isEqualTo("S3 stopped");
            assertThatThrownBy(() ->
                            s3.headObject(r -> r.bucket(endpoints.bucket()).key(key)))
                    .isInstanceOf(SdkClientException.class);

            assertThat(control("s3", "start")).isEqualTo("S3 running");
            assertThat(s3.getObjectAsBytes(r -> r.bucket(endpoints.bucket()).key(key))
                            .asUtf8String())
                    .isEqualTo("kept");
        }
    }

    @Test
    void postgresStoppedRefusesConnectionsAndComesBackWithItsData() throws SQLException {
        String table = "faults_" + UUID.randomUUID().toString().replace("-", "");
        sql("CREATE TABLE " + table + " (v text); INSERT INTO " + table + " VALUES ('kept')");

        assertThat(control("postgres", "stop")).isEqualTo("PostgreSQL stopped");
        assertThatThrownBy(() -> sql("SELECT 1")).isInstanceOf(SQLException.class);

        assertThat(control("postgres", "start")).isEqualTo("PostgreSQL running");
        try (var c = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
                var rs = c.createStatement().executeQuery("SELECT v FROM " + table)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
    }

    @Test
    void anUnknownPartOrVerbIsANotFoundThatListsTheParts() {
        HttpResponse<String> response = post("/faults/dns/stop");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("s3", "sqs", "postgres");
        assertThat(post("/faults/s3/pause").statusCode()).isEqualTo(404);
    }

    private void sql(String statements) throws SQLException {
        try (var c = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
                var st = c.createStatement()) {
            st.execute(statements);
        }
    }

    private String control(String part, String verb) {
        HttpResponse<String> response = post("/faults/" + part + "/" + verb);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> post(String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(endpoints.controlEndpoint() + path))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
