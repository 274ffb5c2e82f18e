package io.uploadguard.enforcer.intake;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened to an object, as told by an S3 event notification, whichever route it
 * took to the queue (S3 directly, through SNS, or through EventBridge). Keys are URL-decoded: they
 * are the keys to pass to S3.
 */
public sealed interface ObjectEvent {

    String bucket();

    /**
     * An object was written.
     *
     * @param size bytes, as the event tells; null when the event does not say (HEAD is the truth)
     * @param eTag null when the event does not say
     * @param sequencer orders events on the same key; null when the event does not say
     * @param eventTime null when the event does not say
     * @param eventName in S3's own vocabulary, e.g. {@code ObjectCreated:Put}, also for EventBridge events
     */
    record Created(
            String bucket, String key, Long size, String eTag, String sequencer, Instant eventTime, String eventName)
            implements ObjectEvent {
        public Created {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(eventName, "eventName");
        }
    }

    /**
     * An object was deleted, or hidden behind a delete marker.
     *
     * @param eventName {@code ObjectRemoved:Delete} or {@code ObjectRemoved:DeleteMarkerCreated}
     */
    record Removed(String bucket, String key, String sequencer, Instant eventTime, String eventName)
            implements ObjectEvent {
        public Removed {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(eventName, "eventName");
        }
    }

    /** The {@code s3:TestEvent} S3 sends when a notification configuration is saved: nothing to enforce. */
    record Test(String bucket) implements ObjectEvent {
        public Test {
            Objects.requireNonNull(bucket, "bucket");
        }
    }
}
