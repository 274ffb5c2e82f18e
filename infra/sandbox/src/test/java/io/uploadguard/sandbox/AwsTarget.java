package io.uploadguard.sandbox;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the conformance suite runs against: the sandbox here, LocalStack where Docker exists.
 * Everything goes through the S3 and SQS APIs except setting bucket notifications, which S3Proxy
 * does not implement (the sandbox takes the same SDK object through its Java API instead).
 */
abstract class AwsTarget {

    abstract URI s3Endpoint();

    abstract URI sqsEndpoint();

    abstract String region();

    abstract String accessKey();

    abstract String secretKey();

    abstract void putNotificationConfiguration(String bucket, NotificationConfiguration configuration);

    AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey()));
    }

    S3Client s3() {
        return S3Client.builder()
                .endpointOverride(s3Endpoint())
                .region(Region.of(region()))
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                // plain PUTs as a browser sends them: no trailing checksums, no aws-chunked bodies
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(s3Endpoint())
                .region(Region.of(region()))
                .credentialsProvider(credentials())
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    SqsClient sqs() {
        return SqsClient.builder()
                .endpointOverride(sqsEndpoint())
                .region(Region.of(region()))
                .credentialsProvider(credentials())
                .build();
    }

    /** A fresh queue (and optionally its dead-letter queue), so tests never read each other's messages. */
    String createQueue(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    String queueArn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }
}
