package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docker-compose's LocalStack init script ({@code infra/localstack/init/ready.d}), run by a real
 * LocalStack as docker-compose runs it: it created the bucket with its CORS, lifecycle and
 * notification configuration and the two queues with their redrive policy, and events flow as in
 * AWS (created and removed under incoming/, removed under served/, nothing for the enforcer's own
 * writes). That the script matches the CDK stack is LocalStackConsistencyTest's job (infra/cdk).
 * Skipped where no Docker engine runs.
 */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackInitScriptTest {

    static final String BUCKET = "uploadguard";
    static final String EVENTS = "uploadguard-events";
    static final String DLQ = "uploadguard-events-dlq";

    @Container
    static final LocalStackContainer LOCALSTACK = LocalStackTarget.container();

    static LocalStackTarget target;
    static S3Client s3;
    static SqsClient sqs;

    @BeforeAll
    static void waitForTheInitScript() {
        assertThat(LocalStackTarget.initScripts())
                .as("init scripts copied into the container")
                .isNotEmpty();
        await("the init script's last step")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(LOCALSTACK
                                .execInContainer("test", "-f", LocalStackTarget.INIT_DONE_MARKER)
                                .getExitCode())
                        .as("LocalStack logs:\n" + LOCALSTACK.getLogs())
                        .isZero());
        target = new LocalStackTarget(LOCALSTACK);
        s3 = target.s3();
        sqs = target.sqs();
    }

    @AfterAll
    static void close() {
        if (s3 != null) {
            s3.close();
            sqs.close();
        }
    }

    @Test
    void theBucketIsPrivateEncryptedWithCorsForPresignedPuts() {
        s3.headBucket(r -> r.bucket(BUCKET));
        var block = s3.getPublicAccessBlock(r -> r.bucket(BUCKET)).publicAccessBlockConfiguration();
        assertThat(List.of(
                        block.blockPublicAcls(),
                        block.ignorePublicAcls(),
                        block.blockPublicPolicy(),
                        block.restrictPublicBuckets()))
                .containsOnly(true);
        assertThat(s3.getBucketEncryption(r -> r.bucket(BUCKET))
                        .serverSideEncryptionConfiguration()
                        .rules())
                .extracting(rule -> rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString())
                .containsExactly("AES256");
        List<CORSRule> cors = s3.getBucketCors(r -> r.bucket(BUCKET)).corsRules();
        assertThat(cors).hasSize(1);
        assertThat(cors.get(0).allowedMethods()).containsExactly("PUT");
        assertThat(cors.get(0).allowedOrigins()).containsExactly("http://localhost:8080");
        assertThat(cors.get(0).allowedHeaders())
                .containsExactlyInAnyOrder(
                        "content-type",
                        "if-none-match",
                        "x-amz-meta-user-id",
                        "x-amz-meta-upload-id",
                        "x-amz-checksum-sha256");
        assertThat(cors.get(0).exposeHeaders()).containsExactly("ETag");
    }

    @Test
    void aBrowserOnTheUploadPageMayPut() throws Exception {
        HttpResponse<String> preflight = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(LOCALSTACK.getEndpoint() + "/" + BUCKET + "/incoming/u/k.png"))
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                .header("Origin", "http://localhost:8080")
                                .header("Access-Control-Request-Method", "PUT")
                                .header(
                                        "Access-Control-Request-Headers",
                                        "content-type,if-none-match,x-amz-meta-user-id")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("http://localhost:8080");
    }

    @Test
    void lifecycleRules() {
        List<LifecycleRule> rules =
                s3.getBucketLifecycleConfiguration(r -> r.bucket(BUCKET)).rules();
        assertThat(rules)
                .extracting(LifecycleRule::id)
                .containsExactlyInAnyOrder(
                        "abort-incomplete-multipart-uploads", "expire-unsettled-incoming", "expire-quarantine");
    }

    @Test
    void theQueuesHaveTheirRedrivePolicyAndLimits() throws Exception {
        String dlqUrl = sqs.getQueueUrl(r -> r.queueName(DLQ)).queueUrl();
        String dlqArn = target.queueArn(sqs, dlqUrl);
        Map<QueueAttributeName, String> dlq = sqs.getQueueAttributes(
                        r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.ALL))
                .attributes();
        assertThat(dlq).containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600");

        String url = sqs.getQueueUrl(r -> r.queueName(EVENTS)).queueUrl();
        Map<QueueAttributeName, String> events = sqs.getQueueAttributes(
                        r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes();
        assertThat(events)
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "120")
                .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "345600")
                .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144");
        JsonNode redrive = JsonMapper.builder().build().readTree(events.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asString()).isEqualTo(dlqArn);
        assertThat(redrive.path("maxReceiveCount").asString()).isEqualTo("5");
        assertThat(events.get(QueueAttributeName.POLICY)).contains("s3.amazonaws.com", "arn:aws:s3:::" + BUCKET);
    }

    @Test
    void notificationsGoToTheEventsQueue() {
        String arn =
                target.queueArn(sqs, sqs.getQueueUrl(r -> r.queueName(EVENTS)).queueUrl());
        List<QueueConfiguration> queues =
                s3.getBucketNotificationConfiguration(r -> r.bucket(BUCKET)).queueConfigurations();
        Set<String> rules = new HashSet<>();
        for (QueueConfiguration q : queues) {
            assertThat(q.queueArn()).isEqualTo(arn);
            rules.add(q.eventsAsStrings() + " "
                    + q.filter().key().filterRules().get(0).value());
        }
        assertThat(rules)
                .containsExactlyInAnyOrder(
                        "[s3:ObjectCreated:*] incoming/",
                        "[s3:ObjectRemoved:*] incoming/",
                        "[s3:ObjectRemoved:*] served/");
    }

    /** Uploads and removals under incoming/ and removals under served/ notify; the enforcer's own writes do not. */
    @Test
    void eventsFlowAsInAws() {
        String url = sqs.getQueueUrl(r -> r.queueName(EVENTS)).queueUrl();
        String user = "init-test-" + System.nanoTime();
        s3.putObject(r -> r.bucket(BUCKET).key("quarantine/" + user + "/q.txt"), RequestBody.fromString("q"));
        s3.putObject(r -> r.bucket(BUCKET).key("served/" + user + "/s.txt"), RequestBody.fromString("s"));
        s3.putObject(r -> r.bucket(BUCKET).key("incoming/" + user + "/i.txt"), RequestBody.fromString("i"));
        s3.deleteObject(r -> r.bucket(BUCKET).key("incoming/" + user + "/i.txt"));
        s3.deleteObject(r -> r.bucket(BUCKET).key("served/" + user + "/s.txt"));
        s3.putObject(r -> r.bucket(BUCKET).key("incoming/" + user + "/last.txt"), RequestBody.fromString("x"));

        List<String> expected = List.of(
                "ObjectCreated:Put incoming/U/i.txt",
                "ObjectRemoved:Delete incoming/U/i.txt",
                "ObjectRemoved:Delete served/U/s.txt",
                "ObjectCreated:Put incoming/U/last.txt");
        List<String> seen = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        Runnable drain = () -> {
            for (Message m : sqs.receiveMessage(
                            r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                for (JsonNode record : json.readTree(m.body()).path("Records")) {
                    String key = record.path("s3").path("object").path("key").asString();
                    if (key.contains(user)) {
                        seen.add(record.path("eventName").asString() + " " + key.replace(user, "U"));
                    }
                }
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        };
        await("events for " + user).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            drain.run();
            assertThat(seen).containsAll(expected);
        });
        // anything else (an event for served/ or quarantine/ writes) would have arrived by now
        for (int i = 0; i < 3; i++) {
            drain.run();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }
}
