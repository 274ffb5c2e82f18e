package io.uploadguard.sandbox;

import java.net.URI;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;

/** LocalStack with presigned-URL signature validation on (it skips the check by default). */
final class LocalStackTarget extends AwsTarget {

    static final String IMAGE = "localstack/localstack:4.9";

    static LocalStackContainer container() {
        return new LocalStackContainer(IMAGE)
                .withServices("s3", "sqs")
                .withEnv("S3_SKIP_SIGNATURE_VALIDATION", "0");
    }

    private final LocalStackContainer localstack;

    LocalStackTarget(LocalStackContainer localstack) {
        this.localstack = localstack;
    }

    @Override
    URI s3Endpoint() {
        return localstack.getEndpoint();
    }

    @Override
    URI sqsEndpoint() {
        return localstack.getEndpoint();
    }

    @Override
    String region() {
        return localstack.getRegion();
    }

    @Override
    String accessKey() {
        return localstack.getAccessKey();
    }

    @Override
    String secretKey() {
        return localstack.getSecretKey();
    }

    @Override
    void putNotificationConfiguration(String bucket, NotificationConfiguration configuration) {
        try (var s3 = s3()) {
            s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(configuration));
        }
    }
}
