package io.uploadguard.enforcer.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;

class S3EventParserTest {

    private static final String BUCKET = "uploadguard-uploads";
    private static final String KEY = "incoming/alice-3f2a9c0d1e4b5a6f/q8Zk3mWbR1yVx0T_n2LcPA.png";

    private static final String MUTATIONS = "{}[]\",:0-9eE.+%\\ an\u0000";

    private final S3EventParser parser = new S3EventParser();

    static String resource(String name) {
        try (InputStream in = S3EventParserTest.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource events/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ObjectEvent> parse(String resource) {
        return parser.parse(resource(resource));
    }

    private MalformedEventException malformed(String body) {
        Throwable thrown = catchThrowable(() -> parser.parse(body));
        assertThat(thrown).isInstanceOf(MalformedEventException.class);
        return (MalformedEventException) thrown;
    }

    @Test
    void directPutIsCreated() {
        assertThat(parse("direct-put.json"))
                .containsExactly(new ObjectEvent.Created(
                        BUCKET,
                        KEY,
                        68L,
                        "d41d8cd98f00b204e9800998ecf8427e",
                        "0062E99A88DC407460",
                        Instant.parse("2024-05-01T12:00:00.123Z"),
                        "ObjectCreated:Put"));
    }

    @Test
    void directDeleteIsRemoved() {
        assertThat(parse("direct-delete.json"))
                .containsExactly(new ObjectEvent.Removed(
                        BUCKET,
                        KEY,
                        "0062E99A88DC407461",
                        Instant.parse("2024-05-01T12:05:00Z"),
                        "ObjectRemoved:Delete"));
    }

    @Test
    void deleteMarkerIsRemoved() {
        assertThat(parse("direct-delete-marker.json"))
                .containsExactly(new ObjectEvent.Removed(
                        BUCKET,
                        KEY,
                        "0062E99A88DC407462",
                        Instant.parse("2024-05-01T12:06:00Z"),
                        "ObjectRemoved:DeleteMarkerCreated"));
    }

    @Test
    void multipleRecordsGiveEventsInOrderLeavingOutOtherKinds() {
        List<ObjectEvent> events = parse("multi-record.json");

        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOfSatisfying(ObjectEvent.Created.class, c -> {
            assertThat(c.key()).isEqualTo("incoming/alice-3f2a9c0d1e4b5a6f/first.png");
            assertThat(c.size()).isEqualTo(100L);
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(ObjectEvent.Created.class, c -> {
            assertThat(c.key()).isEqualTo("incoming/bob-0011223344556677/second.pdf");
            assertThat(c.eventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
            assertThat(c.size()).isEqualTo(10_485_760L);
        });
        assertThat(events.get(2))
                .isInstanceOfSatisfying(
                        ObjectEvent.Removed.class,
                        r -> assertThat(r.key()).isEqualTo("incoming/alice-3f2a9c0d1e4b5a6f/first.png"));
    }

    @Test
    void keysAreDecodedLikeFormFields() {
        assertThat(parse("encoded-keys.json"))
                .extracting(e -> ((ObjectEvent.Created) e).key())
                .containsExactly(
                        "incoming/u/my holiday photo.png",
                        "incoming/u/c++ notes.pdf",
                        "incoming/u/gr\u00fc\u00dfe.png",
                        "incoming/a/b/c/d/e/f/g/h/deep file=1;2&x.png",
                        "incoming/u/\uD83D\uDE00emoji.png");
    }

    @Test
    void keyDecodingAgreesWithTheSdkOnWhatS3Encodes() {
        Random random = new Random(42);
        String alphabet = "abcXYZ019 +%/=&;:,?@$!'()*~_-.\u00fc\u00df\u00e9\u4e2d\uD83D\uDE00";
        for (int n = 0; n < 500; n++) {
            StringBuilder key = new StringBuilder();
            int length = 1 + random.nextInt(30);
            for (int i = 0; i < length; i++) {
                int at = random.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                key.append(c);
                if (Character.isHighSurrogate(c)) {
                    key.append(alphabet.charAt(at + 1));
                } else if (Character.isLowSurrogate(c)) {
                    key.setLength(key.length() - 1);
                }
            }
            if (key.isEmpty()) {
                continue;
            }
            // how S3 encodes keys in events: form encoding, '/' left as it is
            String encoded =
                    URLEncoder.encode(key.toString(), StandardCharsets.UTF_8).replace("%2F", "/");
            S3Object sdk = new S3Object(encoded, 1L, "e", null, "s");

            assertThat(S3KeyDecoder.decode(encoded, "test"))
                    .isEqualTo(key.toString())
                    .isEqualTo(sdk.getUrlDecodedKey())
                    .isEqualTo(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%2", "a%", "a%zz.png", "a%C3", "%FF.png", "%C3%28", "%ED%A0%80"})
    void brokenKeyEncodingIsMalformed(String key) {
        String body = resource("direct-put.json").replace(KEY, key);

        assertThat(malformed(body).getMessage()).contains("Records[0]").contains("key");
    }

    @Test
    void keyLongerThanS3AllowsIsMalformed() {
        String body = resource("direct-put.json").replace(KEY, "k".repeat(1025));

        assertThat(malformed(body).getMessage()).contains("longer than S3 allows");
    }

    @Test
    void snsEnvelopeWithoutRawDeliveryGivesTheInnerEvents() {
        assertThat(parse("sns-put.json")).isEqualTo(parse("direct-put.json"));
    }

    @Test
    void snsWrappedTestEvent() {
        assertThat(parse("sns-test-event.json")).containsExactly(new ObjectEvent.Test(BUCKET));
    }

    @Test
    void snsSubscriptionConfirmationIsMalformed() {
        assertThat(malformed(resource("sns-subscription-confirmation.json")).getMessage())
                .contains("SubscriptionConfirmation");
    }

    @Test
    void testEvent() {
        assertThat(parse("test-event.json")).containsExactly(new ObjectEvent.Test(BUCKET));
    }

    @Test
    void eventBridgeObjectCreated() {
        assertThat(parse("eventbridge-created.json"))
                .containsExactly(new ObjectEvent.Created(
                        BUCKET,
                        "incoming/alice-3f2a9c0d1e4b5a6f/my scan+1.pdf",
                        5L,
                        "b1946ac92492d2347c6235b4d2611184",
                        "00617F08299329D189",
                        Instant.parse("2024-05-01T12:00:01Z"),
                        "ObjectCreated:Put"));
    }

    @Test
    void eventBridgeObjectDeleted() {
        assertThat(parse("eventbridge-deleted.json"))
                .containsExactly(new ObjectEvent.Removed(
                        BUCKET,
                        KEY,
                        "00617F0830E3E8A1B2",
                        Instant.parse("2024-05-01T12:10:00Z"),
                        "ObjectRemoved:DeleteMarkerCreated"));
    }

    @Test
    void eventBridgeCreatedReasonsMapToS3EventNames() {
        String body = resource("eventbridge-created.json");

        assertThat(eventName(body.replace("\"PutObject\"", "\"CompleteMultipartUpload\"")))
                .isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(eventName(body.replace("\"PutObject\"", "\"CopyObject\""))).isEqualTo("ObjectCreated:Copy");
        assertThat(eventName(body.replace("\"PutObject\"", "\"POST Object\""))).isEqualTo("ObjectCreated:Post");
        assertThat(eventName(body.replace("\"PutObject\"", "\"Something New\"")))
                .isEqualTo("ObjectCreated:*");
    }

    private String eventName(String body) {
        return ((ObjectEvent.Created) parser.parse(body).get(0)).eventName();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventbridge-lifecycle-expiration.json", "eventbridge-restore-completed.json"})
    void otherEventBridgeEventsAreLeftOut(String resource) {
        assertThat(parse(resource)).isEmpty();
    }

    @Test
    void unsupportedEventVersionIsMalformed() {
        assertThat(malformed(resource("event-version-3.json")).getMessage()).contains("unsupported eventVersion 3.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0", "2.1", "2.2", "2.3", "2.10", "2"})
    void anyMinorOfMajorVersionTwoIsRead(String version) {
        String body = resource("direct-put.json").replace("\"2.1\"", "\"" + version + "\"");

        assertThat(parser.parse(body)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "3.0", "20.1", "two", "", "2.", ".2", "2.1-beta", "99999999999.1"})
    void otherVersionsAreMalformed(String version) {
        String body = resource("direct-put.json").replace("\"2.1\"", "\"" + version + "\"");

        assertThat(malformed(body).getMessage()).contains("unsupported eventVersion");
    }

    @Test
    void eventBridgeDetailEventVersionIsChecked() {
        String body = resource("eventbridge-created.json");

        assertThat(parser.parse(body.replace(
                        "\"version\": \"0\",\n    \"bucket\"",
                        "\"version\": \"0\",\n    \"event-version\": \"1.1\",\n    \"bucket\"")))
                .hasSize(1);
        assertThat(malformed(body.replace(
                                "\"version\": \"0\",\n    \"bucket\"",
                                "\"version\": \"0\",\n    \"event-version\": \"2.0\",\n    \"bucket\""))
                        .getMessage())
                .contains("event-version");
    }

    static Stream<Arguments> wrongShapes() {
        String put = resource("direct-put.json");
        String eventBridge = resource("eventbridge-created.json");
        return Stream.of(
                Arguments.of("empty Records", "Records is not a non-empty array", resource("empty-records.json")),
                Arguments.of("record without object", "no s3.object.key", resource("record-without-object.json")),
                Arguments.of(
                        "record without bucket name", "no s3.bucket.name", resource("record-without-bucket-name.json")),
                Arguments.of(
                        "JSON of another shape", "not an S3 event notification", resource("other-json-shape.json")),
                Arguments.of("not JSON", "not JSON", resource("not-json.txt")),
                Arguments.of("truncated JSON", "not JSON", resource("truncated.json")),
                Arguments.of("null body", "empty message", null),
                Arguments.of("empty body", "empty message", ""),
                Arguments.of("blank body", "empty message", " \n\t "),
                Arguments.of("JSON null", "not a JSON object", "null"),
                Arguments.of("JSON array", "not a JSON object", "[]"),
                Arguments.of("JSON number", "not a JSON object", "42"),
                Arguments.of("JSON string", "not a JSON object", "\"Records\""),
                Arguments.of("empty object", "not an S3 event notification", "{}"),
                Arguments.of("Records not an array", "Records is not a non-empty array", "{\"Records\":{}}"),
                Arguments.of("Records of numbers", "Records[0] is not an object", "{\"Records\":[1,2]}"),
                Arguments.of("Records of null", "Records[0] is not an object", "{\"Records\":[null]}"),
                Arguments.of(
                        "record without eventName",
                        "no eventName",
                        put.replace("\"eventName\": \"ObjectCreated:Put\",", "")),
                Arguments.of(
                        "record without eventVersion",
                        "no eventVersion",
                        put.replace("\"eventVersion\": \"2.1\",", "")),
                Arguments.of("key not a string", "'key' was not a string", put.replace("\"" + KEY + "\"", "17")),
                Arguments.of(
                        "size not a number", "'size' to be numeric", put.replace("\"size\": 68", "\"size\": \"68\"")),
                Arguments.of(
                        "size too large",
                        "NumberFormatException",
                        put.replace("\"size\": 68", "\"size\": 99999999999999999999999")),
                Arguments.of("size a fraction", "NumberFormatException", put.replace("\"size\": 68", "\"size\": 6.5")),
                Arguments.of("negative size", "negative s3.object.size", put.replace("\"size\": 68", "\"size\": -1")),
                Arguments.of(
                        "eventTime not a time",
                        "DateTimeParseException",
                        put.replace("2024-05-01T12:00:00.123Z", "yesterday")),
                Arguments.of(
                        "duplicate key",
                        "Duplicate Object property",
                        put.replaceFirst("\"eventSource\"", "\"eventName\": \"x\", \"eventSource\"")),
                Arguments.of("trailing data", "Trailing token", put + "{}"),
                Arguments.of(
                        "SNS Message not a string",
                        "SNS Message is not a string",
                        "{\"Type\":\"Notification\",\"Message\":{\"Records\":[]}}"),
                Arguments.of(
                        "SNS without Message", "SNS Notification without a Message", "{\"Type\":\"Notification\"}"),
                Arguments.of("SNS Message not JSON", "not JSON", "{\"Type\":\"Notification\",\"Message\":\"hello\"}"),
                Arguments.of(
                        "SNS unsubscribe",
                        "UnsubscribeConfirmation",
                        "{\"Type\":\"UnsubscribeConfirmation\",\"Message\":\"bye\"}"),
                Arguments.of(
                        "SNS unknown Type", "unknown SNS message Type", "{\"Type\":\"Whatever\",\"Message\":\"{}\"}"),
                Arguments.of(
                        "unknown Event",
                        "unknown Event s3:Other",
                        "{\"Service\":\"Amazon S3\",\"Event\":\"s3:Other\",\"Bucket\":\"b\"}"),
                Arguments.of(
                        "test event without Bucket",
                        "without a Bucket",
                        "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}"),
                Arguments.of(
                        "EventBridge from another source",
                        "not aws.s3",
                        eventBridge.replace("\"aws.s3\"", "\"aws.ec2\"")),
                Arguments.of(
                        "EventBridge without detail",
                        "without a detail object",
                        "{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\"}"),
                Arguments.of(
                        "EventBridge without key",
                        "without detail.object.key",
                        eventBridge.replace("\"key\"", "\"kee\"")),
                Arguments.of(
                        "EventBridge without bucket",
                        "without detail.bucket.name",
                        eventBridge.replace("\"name\"", "\"nome\"")),
                Arguments.of(
                        "EventBridge size not a size",
                        "size is not a size",
                        eventBridge.replace("\"size\": 5", "\"size\": \"5\"")),
                Arguments.of(
                        "EventBridge time not a time",
                        "not an ISO-8601 instant",
                        eventBridge.replace("2024-05-01T12:00:01Z", "noon")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongShapes")
    void wrongShapesAreMalformed(String name, String reason, String body) {
        assertThat(malformed(body).getMessage()).contains(reason);
    }

    @Test
    void snsInsideSnsIsMalformedForTheRightReason() {
        String inner = "{\"Type\":\"Notification\",\"Message\":\"{}\"}";
        String outer = "{\"Type\":\"Notification\",\"Message\":" + jsonString(inner) + "}";

        assertThat(malformed(outer).getMessage()).contains("SNS envelope inside an SNS envelope");
    }

    @Test
    void malformedMessagesAreSafeToLog() {
        String hostile = "{\"x\":\"\u001b[31mred\u001b[0m\nFAKE LOG LINE\r\u202Ereversed\u2028" + "A".repeat(10_000);

        String message = malformed(hostile).getMessage();

        assertThat(message)
                .hasSizeLessThan(200)
                .doesNotContain("\n", "\r", "\u001b", "\u202E", "\u2028")
                .contains("...");
    }

    @Test
    void quoteNeverSplitsASurrogatePair() {
        String text = "a".repeat(99) + "\uD83D\uDE00" + "tail";

        assertThat(MalformedEventException.quote(text)).isEqualTo("a".repeat(99) + "...");
    }

    @Test
    void garbageNeverThrowsAnythingButMalformedEventException() {
        Random random = new Random(20240501);
        List<String> valid = Stream.of(
                        "direct-put.json",
                        "multi-record.json",
                        "sns-put.json",
                        "eventbridge-created.json",
                        "eventbridge-deleted.json",
                        "test-event.json",
                        "encoded-keys.json")
                .map(S3EventParserTest::resource)
                .toList();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            inputs.add(new String(bytes, i % 2 == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        }
        for (String body : valid) {
            for (int i = 0; i < 15; i++) {
                inputs.add(body.substring(0, random.nextInt(body.length())));
            }
            for (int i = 0; i < 15; i++) {
                char[] chars = body.toCharArray();
                for (int m = 0; m < 1 + random.nextInt(4); m++) {
                    chars[random.nextInt(chars.length)] = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
                }
                inputs.add(new String(chars));
            }
        }
        inputs.add("[".repeat(100_000) + "]".repeat(100_000));
        inputs.add("{\"Records\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        inputs.add("{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000));
        inputs.add("{\"Records\":[{\"eventVersion\":\"2.1\",\"s3\":{\"object\":{\"size\":1e400}}}]}");
        inputs.add("{\"Records\":[{\"eventVersion\":" + "9".repeat(2_000) + "}]}");
        inputs.add("{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{\"object\":{\"size\":-"
                + "9".repeat(400) + "}}}");
        inputs.add(resource("direct-put.json").replace("\"size\": 68", "\"size\": 1" + "0".repeat(500)));
        inputs.add("{\"Type\":\"Notification\",\"Message\":\"" + "\\\"".repeat(1000) + "\"}");
        inputs.add("\uFEFF" + resource("direct-put.json"));
        inputs.add("{\"Records\":["
                + (resource("direct-put.json").replaceAll("(?s)^\\{\\s*\"Records\": \\[|\\]\\s*}\\s*$", "") + ",")
                        .repeat(300)
                + "{}]}");

        assertThat(inputs).hasSizeGreaterThanOrEqualTo(200);
        for (String body : inputs) {
            try {
                List<ObjectEvent> events = parser.parse(body);
                assertThat(events).doesNotContainNull();
            } catch (MalformedEventException e) {
                assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("parse threw " + e + " for " + MalformedEventException.quote(body), e);
            }
        }
    }

    @Test
    void aLargeBatchOfRecordsIsReadInOrder() {
        StringBuilder body = new StringBuilder("{\"Records\":[");
        String record = resource("direct-put.json").replaceAll("(?s)^\\{\\s*\"Records\": \\[|\\]\\s*}\\s*$", "");
        for (int i = 0; i < 400; i++) {
            body.append(i == 0 ? "" : ",").append(record.replace(KEY, "incoming/u/" + i + ".png"));
        }
        body.append("]}");

        List<ObjectEvent> events = parser.parse(body.toString());

        assertThat(body.length()).isGreaterThan(256 * 1024);
        assertThat(events).hasSize(400);
        assertThat(((ObjectEvent.Created) events.get(399)).key()).isEqualTo("incoming/u/399.png");
    }

    @Test
    void malformedEventExceptionIsUnchecked() {
        assertThatThrownBy(() -> parser.parse("nope")).isInstanceOf(RuntimeException.class);
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
