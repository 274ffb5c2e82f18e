package io.uploadguard.sandbox.s3events;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the SQS message bodies S3 itself sends, in the format AWS documents under "Event message
 * structure" (event version 2.1), field for field and in the same order.
 */
final class S3EventMessages {

    /** The change a notification is about. {@code size} and {@code eTag} are absent for removals. */
    record ObjectChange(
            String bucket, String key, String eventName, Long size, String eTag, String sequencer, Instant time) {}

    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String region;
    private final String principalId;

    S3EventMessages(String region, String principalId) {
        this.region = region;
        this.principalId = principalId;
    }

    String objectEvent(ObjectChange change, String configurationId) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(change.time()));
        record.put("eventName", change.eventName());
        record.putObject("userIdentity").put("principalId", principalId);
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", randomHex(8).toUpperCase(Locale.ROOT));
        response.put("x-amz-id-2", java.util.Base64.getEncoder().encodeToString(randomBytes(48)));
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", change.bucket());
        bucket.putObject("ownerIdentity").put("principalId", principalId);
        bucket.put("arn", "arn:aws:s3:::" + change.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", encodeKey(change.key()));
        if (change.size() != null) {
            object.put("size", change.size());
        }
        if (change.eTag() != null) {
            object.put("eTag", unquote(change.eTag()));
        }
        object.put("sequencer", change.sequencer());

        ObjectNode message = JSON.createObjectNode();
        message.putArray("Records").add(record);
        return JSON.writeValueAsString(message);
    }

    /** The message S3 sends to a destination when a notification configuration is set. */
    String testEvent(String bucket, Instant time) {
        ObjectNode message = JSON.createObjectNode();
        message.put("Service", "Amazon S3");
        message.put("Event", "s3:TestEvent");
        message.put("Time", EVENT_TIME.format(time));
        message.put("Bucket", bucket);
        message.put("RequestId", randomHex(8).toUpperCase(Locale.ROOT));
        message.put("HostId", java.util.Base64.getEncoder().encodeToString(randomBytes(48)));
        return JSON.writeValueAsString(message);
    }

    /**
     * S3 URL-encodes keys in events the way HTML forms do (a space becomes {@code +}, a {@code +}
     * becomes {@code %2B}, UTF-8 bytes are percent-encoded) but leaves {@code /} as it is.
     */
    static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String unquote(String eTag) {
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1)
                : eTag;
    }

    private static String randomHex(int bytes) {
        return HexFormat.of().formatHex(randomBytes(bytes));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
