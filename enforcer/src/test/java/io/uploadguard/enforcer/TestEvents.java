package io.uploadguard.enforcer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** S3 event messages in the three shapes a deployment delivers, for tests that craft their own. */
public final class TestEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestEvents() {}

    public static String created(String bucket, String key, long size) {
        return s3Event("ObjectCreated:Put", bucket, key, size);
    }

    public static String removed(String bucket, String key) {
        return s3Event("ObjectRemoved:Delete", bucket, key, null);
    }

    private static String s3Event(String eventName, String bucket, String key, Long size) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1")
                .put("eventSource", "aws:s3")
                .put("awsRegion", "us-east-1")
                .put("eventTime", Instant.now().toString())
                .put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", "AWS:test");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        record.putObject("responseElements").put("x-amz-request-id", "TEST").put("x-amz-id-2", "TEST");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0").put("configurationId", "test");
        s3.putObject("bucket")
                .put("name", bucket)
                .put("arn", "arn:aws:s3:::" + bucket)
                .putObject("ownerIdentity")
                .put("principalId", "test");
        ObjectNode object = s3.putObject("object");
        object.put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
        if (size != null) {
            object.put("size", size).put("eTag", "0");
        }
        object.put("sequencer", Long.toHexString(System.nanoTime()).toUpperCase());
        ObjectNode message = JSON.createObjectNode();
        message.putArray("Records").add(record);
        return JSON.writeValueAsString(message);
    }

    /** S3 to SNS to SQS with raw message delivery off: the S3 event is a string inside SNS's envelope. */
    public static String viaSns(String s3Event) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("Type", "Notification")
                .put("MessageId", java.util.UUID.randomUUID().toString())
                .put("TopicArn", "arn:aws:sns:us-east-1:000000000000:uploads")
                .put("Subject", "Amazon S3 Notification")
                .put("Message", s3Event)
                .put("Timestamp", Instant.now().toString())
                .put("SignatureVersion", "1")
                .put("Signature", "EXAMPLE")
                .put("SigningCertURL", "https://example.invalid/cert.pem")
                .put("UnsubscribeURL", "https://example.invalid/unsubscribe");
        return JSON.writeValueAsString(envelope);
    }

    /** EventBridge's "Object Created" delivered to SQS. */
    public static String viaEventBridge(String bucket, String key, long size) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0")
                .put("id", java.util.UUID.randomUUID().toString())
                .put("detail-type", "Object Created")
                .put("source", "aws.s3")
                .put("account", "000000000000")
                .put("time", Instant.now().toString())
                .put("region", "us-east-1");
        event.putArray("resources").add("arn:aws:s3:::" + bucket);
        ObjectNode detail = event.putObject("detail");
        detail.put("version", "0");
        detail.putObject("bucket").put("name", bucket);
        detail.putObject("object")
                .put("key", key)
                .put("size", size)
                .put("etag", "0")
                .put("sequencer", Long.toHexString(System.nanoTime()).toUpperCase());
        detail.put("request-id", "TEST")
                .put("requester", "000000000000")
                .put("source-ip-address", "127.0.0.1")
                .put("reason", "PutObject");
        return JSON.writeValueAsString(event);
    }
}
