package io.uploadguard.enforcer.intake;

import static io.uploadguard.enforcer.intake.MalformedEventException.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.eventnotifications.s3.model.S3;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an SQS message body into the object events it tells of. It accepts the shapes a deployment
 * produces:
 * <ul>
 *   <li>S3 to SQS, and S3 to SNS to SQS with raw message delivery: {@code {"Records":[...]}}, AWS's
 *       "Event message structure", read with the AWS SDK's {@link S3EventNotification};</li>
 *   <li>S3 to SNS to SQS without raw message delivery: the SNS envelope, whose {@code Message} is
 *       one of the other shapes as a string;</li>
 *   <li>S3 to EventBridge to SQS: {@code {"detail-type":"Object Created",...,"detail":{...}}};</li>
 *   <li>{@code s3:TestEvent}, sent when a notification configuration is saved.</li>
 * </ul>
 * Events it has no use for (restores, lifecycle transitions and expirations, replication...) are
 * left out, so a message may give no events at all: the caller acknowledges it. Anything else is a
 * {@link MalformedEventException}, and nothing else is ever thrown, whatever the input.
 */
@Component
public class S3EventParser {

    /**
     * Strict on duplicate keys and trailing data: AWS never sends either, and a message whose reading
     * depends on which parser looks at it (this one picks the shape, the SDK's reads the records)
     * must not be acted on. Its default limits (nesting depth, number and string lengths) also keep
     * hostile input away from the SDK's recursive parser.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The event structure major version this parser understands; minor versions only add fields. */
    static final int EVENT_VERSION_MAJOR = 2;

    /** How much of a parser's own message a reason quotes (they quote the input, at any length). */
    private static final int CAUSE_QUOTE = 60;

    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})(?:\\.\\d{1,9})*");
    /**
     * The events in one SQS message body, in the order the message lists them.
     *
     * @throws MalformedEventException if the body is not an S3 event notification this parser can act
     *     on; its message is safe to log
     */
    public List<ObjectEvent> parse(String sqsMessageBody) {
        try {
            return parse(sqsMessageBody, false);
        } catch (MalformedEventException e) {
            throw e;
        } catch (RuntimeException e) {
            // the SDK's reader and the date and number parsers it calls reject input in their own ways
            throw new MalformedEventException(
                    "unreadable event (" + e.getClass().getSimpleName() + ": " + quote(e.getMessage(), CAUSE_QUOTE)
                            + "): " + quote(sqsMessageBody));
        }
    }

    private List<ObjectEvent> parse(String body, boolean insideSnsEnvelope) {
        if (body == null || body.isBlank()) {
            throw new MalformedEventException(insideSnsEnvelope ? "empty SNS Message" : "empty message");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedEventException(
                    "not JSON (" + quote(e.getOriginalMessage(), CAUSE_QUOTE) + "): " + quote(body));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a JSON object: " + quote(body));
        }
        if (root.has("Records")) {
            return records(body, root);
        }
        if (root.has("Type")) {
            return snsEnvelope(root, insideSnsEnvelope);
        }
        if (root.has("Event")) {
            return List.of(testEvent(root));
        }
        if (root.has("detail-type")) {
            return EventBridgeEvents.read(root);
        }
        throw new MalformedEventException("not an S3 event notification: " + quote(body));
    }

    private List<ObjectEvent> snsEnvelope(JsonNode root, boolean insideSnsEnvelope) {
        String type = string(root, "Type", "SNS Type");
        if (insideSnsEnvelope) {
            throw new MalformedEventException("SNS envelope inside an SNS envelope");
        }
        if ("Notification".equals(type)) {
            String message = string(root, "Message", "SNS Message");
            if (message == null) {
                throw new MalformedEventException("SNS Notification without a Message");
            }
            return parse(message, true);
        }
        if ("SubscriptionConfirmation".equals(type) || "UnsubscribeConfirmation".equals(type)) {
            // confirming is an operator's decision (it subscribes the queue to a topic): a worker that
            // follows a SubscribeURL from a message would let anyone who can send to the queue choose
            throw new MalformedEventException("SNS " + type + " is not an event; confirm subscriptions out of band");
        }
        throw new MalformedEventException("unknown SNS message Type " + quote(type, 40));
    }

    private static ObjectEvent testEvent(JsonNode root) {
        String event = string(root, "Event", "Event");
        if (!"s3:TestEvent".equals(event)) {
            throw new MalformedEventException("unknown Event " + quote(event, 40));
        }
        String bucket = string(root, "Bucket", "s3:TestEvent Bucket");
        if (bucket == null || bucket.isEmpty()) {
            throw new MalformedEventException("s3:TestEvent without a Bucket");
        }
        return new ObjectEvent.Test(bucket);
    }

    private List<ObjectEvent> records(String body, JsonNode root) {
        JsonNode array = root.get("Records");
        if (!array.isArray() || array.isEmpty()) {
            throw new MalformedEventException("Records is not a non-empty array");
        }
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) {
                throw new MalformedEventException("Records[" + i + "] is not an object");
            }
        }
        List<S3EventNotificationRecord> records =
                S3EventNotification.fromJson(body).getRecords();
        if (records == null || records.size() != array.size()) {
            throw new MalformedEventException("Records could not be read");
        }
        List<ObjectEvent> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ObjectEvent event = record(records.get(i), "Records[" + i + "]");
            if (event != null) {
                events.add(event);
            }
        }
        return List.copyOf(events);
    }

    /** The event of one record, or null for an event kind the enforcer has no use for. */
    private static ObjectEvent record(S3EventNotificationRecord record, String where) {
        String version = record.getEventVersion();
        if (version == null) {
            throw new MalformedEventException(where + ": no eventVersion");
        }
        if (major(version) != EVENT_VERSION_MAJOR) {
            throw new MalformedEventException(where + ": unsupported eventVersion " + quote(version, 40)
                    + " (major version " + EVENT_VERSION_MAJOR + " expected)");
        }
        String eventName = record.getEventName();
        if (eventName == null || eventName.isEmpty()) {
            throw new MalformedEventException(where + ": no eventName");
        }
        S3 s3 = record.getS3();
        String bucket =
                s3 == null || s3.getBucket() == null ? null : s3.getBucket().getName();
        if (bucket == null || bucket.isEmpty()) {
            throw new MalformedEventException(where + ": no s3.bucket.name");
        }
        S3Object object = s3.getObject();
        if (object == null || object.getKey() == null || object.getKey().isEmpty()) {
            throw new MalformedEventException(where + ": no s3.object.key");
        }
        // the AWS documentation: "The s3 key provides information about the bucket and object involved
        // in the event. The object key name value is URL encoded. For example, "red flower.jpg" becomes
        // "red+flower.jpg""
        String key = S3KeyDecoder.decode(object.getKey(), where);
        if (eventName.startsWith("ObjectCreated:")) {
            Long size = object.getSizeAsLong();
            if (size != null && size < 0) {
                throw new MalformedEventException(where + ": negative s3.object.size");
            }
            return new ObjectEvent.Created(
                    bucket, key, size, object.getETag(), object.getSequencer(), record.getEventTime(), eventName);
        }
        if (eventName.startsWith("ObjectRemoved:")) {
            return new ObjectEvent.Removed(bucket, key, object.getSequencer(), record.getEventTime(), eventName);
        }
        return null;
    }

    /** A string field; null when absent or JSON null. */
    static String string(JsonNode parent, String field, String name) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new MalformedEventException(name + " is not a string");
        }
        return node.stringValue();
    }

    /** The major version of {@code 2.1}-style versions; -1 when it is not one. */
    static int major(String version) {
        Matcher m = VERSION.matcher(version);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
