package io.uploadguard.cdk;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;

/**
 * The upload bucket (CORS for presigned PUTs, lifecycle rules) and the quarantine, which is a
 * prefix of the upload bucket or a bucket of its own. Both private, encrypted, TLS 1.2+ only and
 * retained when the stack goes; {@link FailClosedBucketPolicy} adds who may do what in them.
 *
 * <p>Resources are created with the stack as their scope, so their logical ids stay what they were
 * before this class existed.
 */
final class UploadStorage {

    /** Headers the signer signs into a presigned PUT that a browser sends: CORS must allow them. */
    static final List<String> SIGNED_HEADERS = List.of(
            "content-type", "if-none-match", "x-amz-meta-user-id", "x-amz-meta-upload-id", "x-amz-checksum-sha256");

    /** Response headers a browser script may read after the PUT. */
    static final List<String> EXPOSED_HEADERS = List.of("ETag");

    private final UploadGuardSettings settings;
    private final Bucket uploads;
    private final Bucket quarantine;

    UploadStorage(Stack stack, UploadGuardSettings settings) {
        this.settings = settings;
        uploads = privateBucket(stack, "Uploads", settings.bucketName())
                .cors(List.of(CorsRule.builder()
                        .id("presigned-put")
                        .allowedMethods(List.of(HttpMethods.PUT))
                        .allowedOrigins(settings.corsOrigins())
                        .allowedHeaders(SIGNED_HEADERS)
                        .exposedHeaders(EXPOSED_HEADERS)
                        .maxAge(settings.corsMaxAgeSeconds())
                        .build()))
                .lifecycleRules(uploadLifecycle())
                .build();
        quarantine = settings.separateQuarantineBucket()
                ? privateBucket(stack, "Quarantine", settings.quarantineBucketName())
                        .lifecycleRules(List.of(abortMultipart(), expireQuarantine()))
                        .build()
                : uploads;
    }

    Bucket uploads() {
        return uploads;
    }

    /** The upload bucket itself unless {@code separateQuarantineBucket}. */
    Bucket quarantine() {
        return quarantine;
    }

    boolean quarantineIsSeparate() {
        return settings.separateQuarantineBucket();
    }

    String incomingObjects() {
        return uploads.arnForObjects(settings.incomingPrefix() + "*");
    }

    String servedObjects() {
        return uploads.arnForObjects(settings.servedPrefix() + "*");
    }

    String quarantineObjects() {
        return quarantine.arnForObjects(settings.quarantinePrefix() + "*");
    }

    private static Bucket.Builder privateBucket(Stack stack, String id, String name) {
        return Bucket.Builder.create(stack, id)
                .bucketName(name)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(false)
                .removalPolicy(RemovalPolicy.RETAIN);
    }

    private List<LifecycleRule> uploadLifecycle() {
        List<LifecycleRule> rules = new ArrayList<>();
        rules.add(abortMultipart());
        rules.add(LifecycleRule.builder()
                .id("expire-unsettled-incoming")
                .prefix(settings.incomingPrefix())
                .expiration(Duration.days(settings.incomingExpiryDays()))
                .build());
        if (settings.quarantineInUploadBucket()) {
            rules.add(expireQuarantine());
        }
        return rules;
    }

    private LifecycleRule abortMultipart() {
        return LifecycleRule.builder()
                .id("abort-incomplete-multipart-uploads")
                .abortIncompleteMultipartUploadAfter(Duration.days(settings.abortMultipartDays()))
                .build();
    }

    private LifecycleRule expireQuarantine() {
        return LifecycleRule.builder()
                .id("expire-quarantine")
                .prefix(settings.quarantinePrefix())
                .expiration(Duration.days(settings.quarantineExpiryDays()))
                .build();
    }
}
