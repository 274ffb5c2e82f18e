package io.uploadguard.sandbox.s3events;

import java.util.LinkedHashSet;
import java.util.Set;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The sandbox's S3 event notifications: which writes notify which queue (the bucket's
 * notification configuration), and the background sender that delivers them in AWS's format.
 */
public final class S3Events implements AutoCloseable {

    private final NotificationRules rules = new NotificationRules();
    private final S3EventPublisher publisher;

    public S3Events(SqsClient sqs, String region, String principalId) {
        this.publisher = new S3EventPublisher(sqs, rules, new S3EventMessages(region, principalId));
    }

    /** The bucket store that S3Proxy serves, announcing every write and removal. */
    public BlobStore notifying(BlobStore store) {
        return new NotifyingBlobStore(store, publisher);
    }

    /**
     * Replaces a bucket's notification configuration, as S3's PutBucketNotificationConfiguration
     * does: overlapping rules and unknown queues are refused, and every destination gets an
     * {@code s3:TestEvent}.
     */
    public void put(String bucket, NotificationConfiguration configuration) {
        Set<String> arns = new LinkedHashSet<>();
        configuration.queueConfigurations().forEach(q -> arns.add(q.queueArn()));
        for (String arn : arns) {
            try {
                publisher.queueUrl(arn);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Unable to validate the following destination " + "configurations: no queue " + arn, e);
            }
        }
        rules.put(bucket, configuration);
        publisher.testEvent(bucket, arns);
    }

    /** Event notifications handed to SQS so far. */
    public long sent() {
        return publisher.sent();
    }

    /** UploadGuard's own configuration: writes and removals under the watched prefixes to one queue. */
    public static NotificationConfiguration uploadGuardDefaults(String queueArn) {
        return NotificationRules.uploadGuardDefaults(queueArn);
    }

    /** A configuration in the JSON shape of {@code aws s3api put-bucket-notification-configuration}. */
    public static NotificationConfiguration parseJson(String json) {
        return NotificationRules.parseJson(json);
    }

    @Override
    public void close() {
        publisher.close();
    }
}
