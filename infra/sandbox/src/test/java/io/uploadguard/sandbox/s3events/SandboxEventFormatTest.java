package io.uploadguard.sandbox.s3events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's messages have the shape of AWS's documented example event ("Event message
 * structure" in the S3 user guide): the same fields at the same places, parsed the same way by the
 * SDK's s3-event-notifications module.
 */
class SandboxEventFormatTest {

    private final S3EventMessages messages = new S3EventMessages("us-west-2", "AWS:sandbox-access-key");

    @Test
    void aPutEventHasExactlyTheFieldsOfAwsDocumentedExample() throws IOException {
        String documented = resource("/aws-documented-put-event.json");
        String ours = messages.objectEvent(
                new S3EventMessages.ObjectChange(
                        "amzn-s3-demo-bucket",
                        "HappyFace.jpg",
                        "ObjectCreated:Put",
                        1024L,
                        "\"d41d8cd98f00b204e9800998ecf8427e\"",
                        "0055AED6DCD90281E5",
                        Instant.EPOCH),
                "testConfigRule");

        assertThat(paths(ours)).isEqualTo(paths(documented));

        var a = S3EventNotification.fromJson(documented).getRecords().get(0);
        var b = S3EventNotification.fromJson(ours).getRecords().get(0);
        assertThat(b.getEventVersion()).isEqualTo(a.getEventVersion());
        assertThat(b.getEventSource()).isEqualTo(a.getEventSource());
        assertThat(b.getEventTime()).isEqualTo(a.getEventTime());
        assertThat(b.getEventName()).isEqualTo(a.getEventName());
        assertThat(b.getS3().getBucket().getArn())
                .isEqualTo(a.getS3().getBucket().getArn());
        assertThat(b.getS3().getObject().getKey())
                .isEqualTo(a.getS3().getObject().getKey());
        assertThat(b.getS3().getObject().getSizeAsLong())
                .isEqualTo(a.getS3().getObject().getSizeAsLong());
        assertThat(b.getS3().getObject().getETag())
                .as("ETag without quotes, as S3 sends it")
                .isEqualTo(a.getS3().getObject().getETag());
        assertThat(b.getS3().getObject().getSequencer())
                .isEqualTo(a.getS3().getObject().getSequencer());
    }

    @Test
    void aRemovalEventCarriesNoSizeOrETag() {
        String ours = messages.objectEvent(
                new S3EventMessages.ObjectChange(
                        "b", "k", "ObjectRemoved:Delete", null, null, "0055AED6DCD90281E6", Instant.now()),
                "rule");

        var record = S3EventNotification.fromJson(ours).getRecords().get(0);

        assertThat(record.getEventName()).isEqualTo("ObjectRemoved:Delete");
        assertThat(record.getS3().getObject().getSizeAsLong()).isNull();
        assertThat(record.getS3().getObject().getETag()).isNull();
        assertThat(record.getS3().getObject().getSequencer()).isEqualTo("0055AED6DCD90281E6");
    }

    @Test
    void keysAreEncodedAsS3EncodesThem() {
        assertThat(S3EventMessages.encodeKey("red flower.jpg")).isEqualTo("red+flower.jpg");
        assertThat(S3EventMessages.encodeKey("a+b/c d%e.png")).isEqualTo("a%2Bb/c+d%25e.png");
        assertThat(S3EventMessages.encodeKey("ü/日.png")).isEqualTo("%C3%BC/%E6%97%A5.png");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SandboxEventFormatTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> paths(String json) {
        Set<String> paths = new TreeSet<>();
        collect(JsonMapper.builder().build().readTree(json), "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths) {
        if (node.isObject()) {
            node.properties().forEach(e -> collect(e.getValue(), prefix + "/" + e.getKey(), paths));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, prefix + "[]", paths));
        } else {
            paths.add(prefix);
        }
    }
}
