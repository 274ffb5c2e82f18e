package io.uploadguard.enforcer.intake;

import static io.uploadguard.enforcer.intake.MalformedEventException.quote;
import static io.uploadguard.enforcer.intake.S3EventParser.major;
import static io.uploadguard.enforcer.intake.S3EventParser.string;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** S3's events as EventBridge delivers them to SQS: {@code {"detail-type":"Object Created",...,"detail":{...}}}. */
final class EventBridgeEvents {

    /** The {@code event-version} of EventBridge's {@code detail} this reader understands, where it is present. */
    static final int DETAIL_VERSION_MAJOR = 1;

    private static final Map<String, String> CREATED_REASONS = Map.of(
            "PutObject", "Put",
            "POST Object", "Post",
            "CopyObject", "Copy",
            "CompleteMultipartUpload", "CompleteMultipartUpload");

    private EventBridgeEvents() {}

    static List<ObjectEvent> read(JsonNode root) {
        String source = string(root, "source", "EventBridge source");
        if (!"aws.s3".equals(source)) {
            throw new MalformedEventException("EventBridge event from source " + quote(source, 40) + ", not aws.s3");
        }
        String detailType = string(root, "detail-type", "EventBridge detail-type");
        JsonNode detail = root.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new MalformedEventException("EventBridge event without a detail object");
        }
        String detailVersion = string(detail, "event-version", "EventBridge detail.event-version");
        if (detailVersion != null && major(detailVersion) != DETAIL_VERSION_MAJOR) {
            throw new MalformedEventException("unsupported EventBridge detail.event-version " + quote(detailVersion, 40)
                    + " (major version " + DETAIL_VERSION_MAJOR + " expected)");
        }
        boolean created = "Object Created".equals(detailType);
        boolean deleted = "Object Deleted".equals(detailType);
        if (!created && !deleted) {
            return List.of();
        }
        String reason = string(detail, "reason", "EventBridge detail.reason");
        if (deleted && "Lifecycle Expiration".equals(reason)) {
            // the direct route sends these as LifecycleExpiration:*, not ObjectRemoved:*, and they are
            // left out there; both routes must book the same
            return List.of();
        }
        JsonNode bucketNode = detail.get("bucket");
        String bucket = bucketNode == null || !bucketNode.isObject()
                ? null
                : string(bucketNode, "name", "EventBridge detail.bucket.name");
        if (bucket == null || bucket.isEmpty()) {
            throw new MalformedEventException("EventBridge event without detail.bucket.name");
        }
        JsonNode object = detail.get("object");
        String rawKey =
                object == null || !object.isObject() ? null : string(object, "key", "EventBridge detail.object.key");
        if (rawKey == null || rawKey.isEmpty()) {
            throw new MalformedEventException("EventBridge event without detail.object.key");
        }
        // AWS's page "EventBridge event message structure" does not say whether detail.object.key is
        // URL-encoded. AWS's own consumers decode it exactly like the key of the direct route:
        // Powertools for AWS Lambda (Python), S3EventBridgeNotificationObject.key, returns
        // unquote_plus(self["key"]); OpenSearch Data Prepper's S3EventBridgeNotification.Object
        // getUrlDecodedKey() returns SdkHttpUtils.urlDecode(key). So do we. The keys the signer
        // chooses hold no '+', '%' or space, so for them the decoding changes nothing either way.
        String key = S3KeyDecoder.decode(rawKey, "EventBridge detail.object.key");
        String sequencer = string(object, "sequencer", "EventBridge detail.object.sequencer");
        Instant time = instant(string(root, "time", "EventBridge time"));
        if (created) {
            Long size = size(object.get("size"));
            String eTag = string(object, "etag", "EventBridge detail.object.etag");
            String eventName = "ObjectCreated:" + CREATED_REASONS.getOrDefault(reason, "*");
            return List.of(new ObjectEvent.Created(bucket, key, size, eTag, sequencer, time, eventName));
        }
        String deletionType = string(detail, "deletion-type", "EventBridge detail.deletion-type");
        String eventName = "Delete Marker Created".equals(deletionType)
                ? "ObjectRemoved:DeleteMarkerCreated"
                : "ObjectRemoved:Delete";
        return List.of(new ObjectEvent.Removed(bucket, key, sequencer, time, eventName));
    }

    private static Long size(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new MalformedEventException("EventBridge detail.object.size is not a size");
        }
        return node.longValue();
    }

    private static Instant instant(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("EventBridge time is not an ISO-8601 instant: " + quote(time, 40));
        }
    }
}
