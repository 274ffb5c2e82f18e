package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.inspection.Inspection;
import io.uploadguard.enforcer.inspection.ObjectInspector;
import java.net.URI;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

/**
 * The copy of an object above the large-copy threshold (10 MB in the tests, 5 GB by default) in
 * 5 MB parts, against the sandbox's S3: the same result as CopyObject, the same ETag condition on
 * every part, and nothing left open whatever happens.
 */
@Tag("integration")
class LargeObjectCopyTest extends EnforcerIntegrationTest {

    private static final int SIZE = 12 * 1024 * 1024;

    @Autowired
    ObjectMover mover;

    @Autowired
    ObjectInspector inspector;

    @Autowired
    LargeObjectCopy largeCopy;

    @Test
    void aLargeObjectIsCopiedInPartsToTheSameBytesHeadersAndMetadataAsASingleCopy() {
        byte[] body = bytes(SIZE, 1);
        Inspection large = inspect(source(body));
        Inspection small = inspect(source(body));
        var record = Map.of(VerdictMetadata.VERDICT, "accepted", VerdictMetadata.DETECTED_TYPE, "video/mp4");
        String disposition = "attachment; filename=\"clip.mp4\"";
        String inParts = "large-copy-test/" + UUID.randomUUID() + "/parts";
        String single = "large-copy-test/" + UUID.randomUUID() + "/single";

        assertThat(largeCopy.needed(SIZE)).isTrue();
        assertThat(mover.moveInspected(large, bucket(), inParts, disposition, record))
                .isTrue();
        assertThat(singleCopyMover().moveInspected(small, bucket(), single, disposition, record))
                .isTrue();

        HeadObjectResponse parts = s3.headObject(r -> r.bucket(bucket()).key(inParts));
        HeadObjectResponse whole = s3.headObject(r -> r.bucket(bucket()).key(single));
        assertThat(parts.eTag()).as("a multipart object of 3 parts").endsWith("-3\"");
        assertThat(parts.contentLength()).isEqualTo(SIZE);
        assertThat(parts.contentType()).isEqualTo(whole.contentType()).isEqualTo("video/mp4");
        assertThat(parts.contentDisposition())
                .isEqualTo(whole.contentDisposition())
                .isEqualTo(disposition);
        assertThat(parts.metadata())
                .isEqualTo(whole.metadata())
                .containsEntry("user-id", "alice")
                .containsEntry(VerdictMetadata.VERDICT, "accepted");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket()).key(inParts)).asByteArray())
                .isEqualTo(body);
        assertThat(exists(bucket(), large.key()))
                .as("moved: the original is gone")
                .isFalse();
        assertThat(openUploads(inParts)).isZero();
    }

    @Test
    void aSourceReplacedMidCopyIsRefusedAndNothingIsLeft() {
        String key = source(bytes(SIZE, 2));
        Inspection inspection = inspect(key);
        String target = "large-copy-test/" + UUID.randomUUID() + "/served";
        byte[] other = bytes(SIZE, 3);
        AtomicBoolean replaced = new AtomicBoolean();
        // the same key written again right after the first part was copied
        ExecutionInterceptor replaceAfterFirstPart = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartCopyRequest part
                        && part.partNumber() == 1
                        && replaced.compareAndSet(false, true)) {
                    s3.putObject(
                            r -> r.bucket(bucket()).key(key).contentType("video/mp4"), RequestBody.fromBytes(other));
                }
            }
        };
        try (S3Client racing = client(replaceAfterFirstPart)) {
            ObjectMover racingMover = new ObjectMover(racing, new LargeObjectCopy(racing, testProperties()));

            assertThatThrownBy(() -> racingMover.moveInspected(inspection, bucket(), target, null, Map.of()))
                    .isInstanceOf(ObjectChangedException.class);
        }

        assertThat(replaced).isTrue();
        assertThat(exists(bucket(), target)).as("nothing copied").isFalse();
        assertThat(openUploads(target)).as("the multipart copy was aborted").isZero();
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket()).key(key)).asByteArray())
                .as("the new object stays for its own event")
                .isEqualTo(other);
    }

    @Test
    void aCopyLeftOpenByACrashedAttemptIsAbortedAndTheCopyDoneAgainIsWhole() {
        byte[] body = bytes(SIZE, 4);
        Inspection inspection = inspect(source(body));
        String target = "large-copy-test/" + UUID.randomUUID() + "/served";
        // what an attempt that died after its first part leaves behind
        String stale =
                s3.createMultipartUpload(r -> r.bucket(bucket()).key(target)).uploadId();
        s3.uploadPartCopy(r -> r.sourceBucket(bucket())
                .sourceKey(inspection.key())
                .copySourceRange("bytes=0-" + (5 * 1024 * 1024 - 1))
                .destinationBucket(bucket())
                .destinationKey(target)
                .uploadId(stale)
                .partNumber(1));
        assertThat(openUploads(target)).isEqualTo(1);

        assertThat(mover.moveInspected(inspection, bucket(), target, null, Map.of()))
                .isTrue();

        assertThat(openUploads(target)).isZero();
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket()).key(target)).asByteArray())
                .isEqualTo(body);
    }

    @Test
    void aGoneSourceReadsAsGoneAndLeavesNothingOpen() {
        Inspection inspection = inspect(source(bytes(SIZE, 5)));
        s3.deleteObject(r -> r.bucket(bucket()).key(inspection.key()));
        String target = "large-copy-test/" + UUID.randomUUID() + "/served";

        assertThat(mover.moveInspected(inspection, bucket(), target, null, Map.of()))
                .isFalse();

        assertThat(exists(bucket(), target)).isFalse();
        assertThat(openUploads(target)).isZero();
    }

    @Test
    void thePartSizeGrowsSoThatNoObjectNeedsMoreThanTenThousandParts() {
        long fiveTerabytes = DataSize.ofTerabytes(5).toBytes();

        long partSize = largeCopy.partSize(fiveTerabytes);

        assertThat(partSize).isGreaterThan(DataSize.ofMegabytes(5).toBytes());
        assertThat((fiveTerabytes + partSize - 1) / partSize).isLessThanOrEqualTo(LargeObjectCopy.MAX_PARTS);
        assertThat(largeCopy.partSize(SIZE)).isEqualTo(DataSize.ofMegabytes(5).toBytes());
    }

    private String source(byte[] body) {
        String key = "large-copy-test/" + UUID.randomUUID() + "/source";
        s3.putObject(
                r -> r.bucket(bucket()).key(key).contentType("video/mp4").metadata(Map.of("user-id", "alice")),
                RequestBody.fromBytes(body));
        return key;
    }

    private Inspection inspect(String key) {
        return inspector.inspect(bucket(), key).orElseThrow();
    }

    private int openUploads(String key) {
        return (int) s3.listMultipartUploads(r -> r.bucket(bucket()).prefix(key)).uploads().stream()
                .filter(u -> u.key().equals(key))
                .count();
    }

    private ObjectMover singleCopyMover() {
        return new ObjectMover(
                s3, new LargeObjectCopy(s3, new LargeCopyProperties(DataSize.ofGigabytes(5), DataSize.ofMegabytes(5))));
    }

    private static LargeCopyProperties testProperties() {
        return new LargeCopyProperties(DataSize.ofMegabytes(10), DataSize.ofMegabytes(5));
    }

    private static S3Client client(ExecutionInterceptor interceptor) {
        return S3Client.builder()
                .endpointOverride(URI.create(sandbox().s3Endpoint()))
                .region(Region.of(sandbox().region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        sandbox().accessKey(), sandbox().secretKey())))
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(interceptor))
                .build();
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
