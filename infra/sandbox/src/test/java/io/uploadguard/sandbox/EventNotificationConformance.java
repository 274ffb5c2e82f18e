package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3KeyFilter;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * S3 event notifications as UploadGuard's enforcer consumes them: one message per write, in AWS's
 * documented format, filtered like S3 filters, plus the test event and the dead-letter queue.
 * Each test uses its own bucket and queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EventNotificationConformance {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AwsTarget target;
    private S3Client s3;
    private SqsClient sqs;

    abstract AwsTarget target();

    @BeforeAll
    void clients() {
        target = target();
        s3 = target.s3();
        sqs = target.sqs();
    }

    @AfterAll
    void closeClients() {
        s3.close();
        sqs.close();
    }

    @Test
    void everyWriteKindSendsOneEventWithEveryDocumentedField() {
        var watched = watch(rule("all-writes", List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), "", ""));
        drainTestEvent(watched.queueUrl());
        String bucket = watched.bucket();

        byte[] body = "hello, events".getBytes(StandardCharsets.UTF_8);
        s3.putObject(r -> r.bucket(bucket).key("put.txt").contentType("text/plain"), RequestBody.fromBytes(body));
        s3.copyObject(r -> r.sourceBucket(bucket)
                .sourceKey("put.txt")
                .destinationBucket(bucket)
                .destinationKey("copy.txt"));
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("multipart.bin"))
                .uploadId();
        String partETag = s3.uploadPart(
                        r -> r.bucket(bucket)
                                .key("multipart.bin")
                                .uploadId(uploadId)
                                .partNumber(1),
                        RequestBody.fromBytes(body))
                .eTag();
        s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key("multipart.bin")
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(partETag).build())));
        Map<String, software.amazon.awssdk.services.s3.model.HeadObjectResponse> heads = new java.util.HashMap<>();
        for (String key : List.of("put.txt", "copy.txt", "multipart.bin")) {
            heads.put(key, s3.headObject(r -> r.bucket(bucket).key(key)));
        }
        s3.deleteObject(r -> r.bucket(bucket).key("put.txt"));

        List<S3EventNotificationRecord> records = receiveRecords(watched.queueUrl(), 4);
        assertThat(records)
                .extracting(S3EventNotificationRecord::getEventName)
                .containsExactlyInAnyOrder(
                        "ObjectCreated:Put",
                        "ObjectCreated:Copy",
                        "ObjectCreated:CompleteMultipartUpload",
                        "ObjectRemoved:Delete");
        for (var record : records) {
            assertThat(record.getEventVersion()).startsWith("2.");
            assertThat(record.getEventSource()).isEqualTo("aws:s3");
            assertThat(record.getAwsRegion()).isEqualTo(target.region());
            assertThat(record.getEventTime())
                    .isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(5));
            assertThat(record.getUserIdentity().getPrincipalId()).isNotBlank();
            assertThat(record.getRequestParameters().getSourceIpAddress()).isNotBlank();
            assertThat(record.getResponseElements().getXAmzRequestId()).isNotBlank();
            assertThat(record.getResponseElements().getXAmzId2()).isNotBlank();
            assertThat(record.getS3().getS3SchemaVersion()).isEqualTo("1.0");
            assertThat(record.getS3().getConfigurationId()).isEqualTo("all-writes");
            assertThat(record.getS3().getBucket().getName()).isEqualTo(bucket);
            assertThat(record.getS3().getBucket().getArn()).isEqualTo("arn:aws:s3:::" + bucket);
            assertThat(record.getS3().getBucket().getOwnerIdentity().getPrincipalId())
                    .isNotBlank();
            assertThat(record.getS3().getObject().getSequencer()).matches("[0-9A-F]+");
            if (record.getEventName().startsWith("ObjectCreated")) {
                var head = heads.get(record.getS3().getObject().getUrlDecodedKey());
                assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(head.contentLength());
                assertThat(record.getS3().getObject().getETag())
                        .isEqualTo(head.eTag().replace("\"", ""));
            }
        }
    }

    @Test
    void aMultipartUploadSendsOneEventAtCompletionWithItsSizeAndMultipartETag() {
        var watched = watch(rule("multipart", List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), "", ""));
        drainTestEvent(watched.queueUrl());
        String bucket = watched.bucket();
        int partSize = MultipartConformance.MIN_PART;
        // an upload that is aborted: no object, so no event (nor for anything S3Proxy keeps meanwhile)
        String abandoned = s3.createMultipartUpload(r -> r.bucket(bucket).key("abandoned.bin"))
                .uploadId();
        s3.uploadPart(
                r -> r.bucket(bucket).key("abandoned.bin").uploadId(abandoned).partNumber(1),
                RequestBody.fromBytes(MultipartConformance.body(1, 100)));
        s3.abortMultipartUpload(r -> r.bucket(bucket).key("abandoned.bin").uploadId(abandoned));
        String uploadId = s3.createMultipartUpload(
                        r -> r.bucket(bucket).key("video.mp4").contentType("video/mp4"))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int number : List.of(1, 2)) {
            byte[] part = MultipartConformance.body(number, number == 1 ? partSize : 10);
            String eTag = s3.uploadPart(
                            r -> r.bucket(bucket)
                                    .key("video.mp4")
                                    .uploadId(uploadId)
                                    .partNumber(number),
                            RequestBody.fromBytes(part))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
        }
        s3.completeMultipartUpload(
                r -> r.bucket(bucket).key("video.mp4").uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        var head = s3.headObject(r -> r.bucket(bucket).key("video.mp4"));
        // the last write of all: once its event is here, every earlier one would have been too
        s3.putObject(r -> r.bucket(bucket).key("zz-sentinel"), RequestBody.fromString("x"));

        List<S3EventNotificationRecord> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            records.addAll(receiveRecordsOnce(watched.queueUrl()));
            return records.stream().anyMatch(r -> r.getS3().getObject().getKey().equals("zz-sentinel"));
        });
        records.addAll(receiveRecordsOnce(watched.queueUrl()));

        assertThat(records)
                .extracting(r -> r.getEventName() + " " + r.getS3().getObject().getUrlDecodedKey())
                .containsExactly("ObjectCreated:CompleteMultipartUpload video.mp4", "ObjectCreated:Put zz-sentinel");
        var object = records.get(0).getS3().getObject();
        assertThat(object.getSizeAsLong()).isEqualTo(partSize + 10L).isEqualTo(head.contentLength());
        assertThat(object.getETag())
                .matches("[0-9a-f]{32}-2")
                .isEqualTo(head.eTag().replace("\"", ""));
    }

    @Test
    void keysAreUrlEncodedLikeS3DoesAndDecodeBackExactly() {
        var watched = watch(rule("keys", List.of("s3:ObjectCreated:*"), "", ""));
        drainTestEvent(watched.queueUrl());
        List<String> keys = List.of(
                "with space/a b.png",
                "plus+sign.png",
                "percent%20literal.png",
                "unicode/ファイル-é.png",
                "deep/a/b/c/d/e/f/g/h.png",
                "chars/!$&'()*,;=@~.png");
        for (String key : keys) {
            s3.putObject(r -> r.bucket(watched.bucket()).key(key), RequestBody.fromString("x"));
        }

        List<S3EventNotificationRecord> records = receiveRecords(watched.queueUrl(), keys.size());

        assertThat(records)
                .extracting(r -> r.getS3().getObject().getUrlDecodedKey())
                .containsExactlyInAnyOrderElementsOf(keys);
        var raw = records.stream().map(r -> r.getS3().getObject().getKey()).toList();
        assertThat(raw).contains("with+space/a+b.png", "plus%2Bsign.png", "percent%2520literal.png");
        assertThat(raw)
                .allSatisfy(k ->
                        assertThat(URLDecoder.decode(k, StandardCharsets.UTF_8)).isIn(keys));
    }

    @Test
    void theSequencerGrowsWithEachChangeOfAKey() {
        var watched = watch(rule("sequence", List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), "", ""));
        drainTestEvent(watched.queueUrl());
        s3.putObject(r -> r.bucket(watched.bucket()).key("k"), RequestBody.fromString("one"));
        s3.putObject(r -> r.bucket(watched.bucket()).key("k"), RequestBody.fromString("two"));
        s3.deleteObject(r -> r.bucket(watched.bucket()).key("k"));

        var records = receiveRecords(watched.queueUrl(), 3);

        var byTime = records.stream()
                .map(r -> r.getS3().getObject().getSequencer())
                .sorted(EventNotificationConformance::compareSequencers)
                .toList();
        // S3 documents sequencers as comparable after left-padding to equal length
        assertThat(byTime).doesNotHaveDuplicates().hasSize(3);
        var removal = records.stream()
                .filter(r -> r.getEventName().startsWith("ObjectRemoved"))
                .findFirst()
                .orElseThrow();
        assertThat(byTime.get(2)).isEqualTo(removal.getS3().getObject().getSequencer());
    }

    @Test
    void aBurstOfConcurrentWritesSendsOneEventPerWrite() throws Exception {
        var watched = watch(rule("burst", List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), "", ""));
        drainTestEvent(watched.queueUrl());
        List<String> keys = IntStream.range(0, 150).mapToObj(i -> "burst/" + i).toList();
        // faster than one SQS call per event delivers them: the sandbox batches, and nothing may be lost or doubled
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (String key : keys) {
                writes.add(writers.submit(() -> {
                    s3.putObject(r -> r.bucket(watched.bucket()).key(key), RequestBody.fromString(key));
                    s3.deleteObject(r -> r.bucket(watched.bucket()).key(key));
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdownNow();
        }

        var records = receiveRecords(watched.queueUrl(), 2 * keys.size());

        assertThat(records.stream()
                        .filter(r -> r.getEventName().startsWith("ObjectCreated"))
                        .map(r -> r.getS3().getObject().getUrlDecodedKey()))
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(records.stream()
                        .filter(r -> r.getEventName().startsWith("ObjectRemoved"))
                        .map(r -> r.getS3().getObject().getUrlDecodedKey()))
                .containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void prefixAndSuffixFiltersSelectTheKeys() {
        var watched = watch(rule("png-under-in", List.of("s3:ObjectCreated:*"), "in/", ".png"));
        drainTestEvent(watched.queueUrl());
        for (String key : List.of("in/a.png", "in/a.txt", "out/a.png", "in.png", "in/sub/b.png")) {
            s3.putObject(r -> r.bucket(watched.bucket()).key(key), RequestBody.fromString("x"));
        }
        // the last write of all: once its event is here, every earlier one would have been too
        s3.putObject(r -> r.bucket(watched.bucket()).key("in/zz-sentinel.png"), RequestBody.fromString("x"));

        List<String> keys = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            receiveRecordsOnce(watched.queueUrl())
                    .forEach(r -> keys.add(r.getS3().getObject().getUrlDecodedKey()));
            return keys.contains("in/zz-sentinel.png");
        });
        keys.addAll(receiveRecordsOnce(watched.queueUrl()).stream()
                .map(r -> r.getS3().getObject().getUrlDecodedKey())
                .toList());
        assertThat(keys).containsExactlyInAnyOrder("in/a.png", "in/sub/b.png", "in/zz-sentinel.png");
    }

    @Test
    void settingANotificationConfigurationSendsTheTestEvent() {
        var watched = watch(rule("test-event", List.of("s3:ObjectCreated:*"), "", ""));

        JsonNode test = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> receive(watched.queueUrl()).stream()
                                .map(m -> JSON.readTree(m.body()))
                                .filter(n -> n.has("Event"))
                                .findFirst()
                                .orElse(null),
                        n -> n != null);

        assertThat(test.get("Service").asString()).isEqualTo("Amazon S3");
        assertThat(test.get("Event").asString()).isEqualTo("s3:TestEvent");
        assertThat(test.get("Bucket").asString()).isEqualTo(watched.bucket());
        assertThat(Instant.parse(test.get("Time").asString()))
                .isBefore(Instant.now().plusSeconds(5));
    }

    @Test
    void aMessageReceivedMaxReceiveCountTimesWithoutDeleteMovesToTheDeadLetterQueue() {
        String name = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        String dlqUrl = target.createQueue(sqs, name + "-dlq", Map.of());
        String redrive = "{\"deadLetterTargetArn\":\"" + target.queueArn(sqs, dlqUrl) + "\",\"maxReceiveCount\":\"2\"}";
        String queueUrl = target.createQueue(
                sqs,
                name,
                Map.of(QueueAttributeName.REDRIVE_POLICY, redrive, QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("poison"));

        int[] receives = {0};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            // a visibility timeout of 0 hands the message straight back, as a crashed consumer would
            receives[0] += sqs.receiveMessage(
                            r -> r.queueUrl(queueUrl).visibilityTimeout(0).waitTimeSeconds(1))
                    .messages()
                    .size();
            return !sqs.receiveMessage(r -> r.queueUrl(dlqUrl).visibilityTimeout(0))
                    .messages()
                    .isEmpty();
        });

        assertThat(receives[0]).isEqualTo(2);
        var moved = sqs.receiveMessage(r -> r.queueUrl(dlqUrl)).messages();
        assertThat(moved).extracting(Message::body).containsExactly("poison");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl)).messages()).isEmpty();
    }

    @Test
    void theEventsQueueAcceptsAQuarterMegabyteMessage() {
        String queueUrl = target.createQueue(
                sqs,
                "big-" + UUID.randomUUID().toString().substring(0, 8),
                Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144"));
        String body = "x".repeat(256 * 1024);

        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5))
                        .messages())
                .extracting(m -> m.body().length())
                .containsExactly(body.length());
    }

    // ---- helpers

    record Watched(String bucket, String queueUrl) {}

    private Watched watch(QueueConfiguration.Builder rule) {
        String name = "ev-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(name));
        String queueUrl = target.createQueue(sqs, name, Map.of());
        target.putNotificationConfiguration(
                name,
                NotificationConfiguration.builder()
                        .queueConfigurations(
                                rule.queueArn(target.queueArn(sqs, queueUrl)).build())
                        .build());
        return new Watched(name, queueUrl);
    }

    private static QueueConfiguration.Builder rule(String id, List<String> events, String prefix, String suffix) {
        List<FilterRule> filters = new ArrayList<>();
        if (!prefix.isEmpty()) {
            filters.add(FilterRule.builder()
                    .name(FilterRuleName.PREFIX)
                    .value(prefix)
                    .build());
        }
        if (!suffix.isEmpty()) {
            filters.add(FilterRule.builder()
                    .name(FilterRuleName.SUFFIX)
                    .value(suffix)
                    .build());
        }
        var builder = QueueConfiguration.builder().id(id).eventsWithStrings(events);
        if (!filters.isEmpty()) {
            builder.filter(NotificationConfigurationFilter.builder()
                    .key(S3KeyFilter.builder().filterRules(filters).build())
                    .build());
        }
        return builder;
    }

    private void drainTestEvent(String queueUrl) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receive(queueUrl).stream().anyMatch(m -> m.body().contains("s3:TestEvent")));
    }

    private List<S3EventNotificationRecord> receiveRecords(String queueUrl, int expected) {
        List<S3EventNotificationRecord> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            records.addAll(receiveRecordsOnce(queueUrl));
            return records.size() >= expected;
        });
        assertThat(records).hasSize(expected);
        return records;
    }

    private List<S3EventNotificationRecord> receiveRecordsOnce(String queueUrl) {
        return receive(queueUrl).stream()
                .filter(m -> !m.body().contains("s3:TestEvent"))
                .flatMap(m -> S3EventNotification.fromJson(m.body()).getRecords().stream())
                .toList();
    }

    /** Receives and deletes what is there (waiting up to a second). */
    private List<Message> receive(String queueUrl) {
        var messages = sqs.receiveMessage(
                        r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        for (Message m : messages) {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
        return messages;
    }

    static int compareSequencers(String a, String b) {
        int width = Math.max(a.length(), b.length());
        return String.format("%" + width + "s", a)
                .replace(' ', '0')
                .compareTo(String.format("%" + width + "s", b).replace(' ', '0'));
    }
}
