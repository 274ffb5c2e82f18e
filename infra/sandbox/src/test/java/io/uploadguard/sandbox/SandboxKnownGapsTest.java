package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * Where S3Proxy, and so the sandbox, differs from S3. These tests pin today's behaviour so that
 * the documentation stays true: when one fails after an upgrade, the gap has closed and the README
 * should say so. UploadGuard must never depend on the sandbox's side of these differences.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SandboxTarget.Extension.class)
class SandboxKnownGapsTest {

    private final AwsTarget target;
    private S3Client s3;
    private String bucket;

    SandboxKnownGapsTest(SandboxTarget target) {
        this.target = target;
    }

    @BeforeAll
    void bucket() {
        s3 = target.s3();
        bucket = "gaps-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
    }

    @Test
    void anExtraUnsignedMetadataHeaderIsAcceptedWhereS3RefusesIt() {
        var presigned = target.presigner()
                .presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                        .putObjectRequest(r -> r.bucket(bucket)
                                .key("extra-meta")
                                .contentType("image/png")
                                .contentLength(10L)
                                .metadata(Map.of("user-id", "alice"))));
        var put = PresignedPut.of(URI.create(presigned.url().toString()), presigned.signedHeaders())
                .withHeader("x-amz-meta-user-id-2", "mallory");

        assertThat(put.send(PresignedPutConformance.png(10)).statusCode()).isEqualTo(200);
        assertThat(s3.headObject(r -> r.bucket(bucket).key("extra-meta")).metadata())
                .containsEntry("user-id", "alice");
    }

    @Test
    void objectTaggingIsNotImplemented() {
        s3.putObject(r -> r.bucket(bucket).key("tagged"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));

        assertThatThrownBy(() -> s3.putObjectTagging(r -> r.bucket(bucket)
                        .key("tagged")
                        .tagging(Tagging.builder()
                                .tagSet(t -> t.key("verdict").value("accepted"))
                                .build())))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
    }

    @Test
    void bucketNotificationsCannotBeSetThroughTheS3Api() {
        assertThatThrownBy(() -> s3.putBucketNotificationConfiguration(r ->
                        r.bucket(bucket).notificationConfiguration(n -> n.queueConfigurations(java.util.List.of()))))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
    }

    @Test
    void listPartsOfAnAbortedUploadAnswersWhereS3AnswersNoSuchUpload() {
        String key = "aborted";
        String uploadId =
                s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        part(key, uploadId, 1, 1000);
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));

        var parts = s3.listParts(r -> r.bucket(bucket).key(key).uploadId(uploadId));

        assertThat(parts.sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(parts.parts()).isEmpty();
    }

    /**
     * S3 answers 404 NoSuchUpload to a part sent after completion; S3Proxy takes it (200) and keeps
     * it where nothing completes it. The completed object is unchanged either way, which is what
     * UploadGuard relies on (a replayed part URL changes nothing served).
     */
    @Test
    void aPartSentAfterCompletionIsTakenWhereS3AnswersNoSuchUpload() {
        String key = "completed";
        String uploadId =
                s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        var first = part(key, uploadId, 1, 1000);
        s3.completeMultipartUpload(
                r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(first)));

        var replayed = s3.uploadPart(
                r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[2000]));

        assertThat(replayed.sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength())
                .isEqualTo(1000L);
    }

    private software.amazon.awssdk.services.s3.model.CompletedPart part(
            String key, String uploadId, int number, int size) {
        String eTag = s3.uploadPart(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[size]))
                .eTag();
        return software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                .partNumber(number)
                .eTag(eTag)
                .build();
    }
}
