package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What UploadGuard's multipart uploads rely on S3 to enforce: a presigned part URL locks its part's
 * length, completion refuses a part that is not there, and {@code If-None-Match: *} on completion
 * never replaces an object. The same tests run against the sandbox and, where Docker exists,
 * LocalStack. Where the sandbox differs (a small part in the middle), {@link SandboxKnownGapsTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MultipartConformance {

    static final int MIN_PART = 5 * 1024 * 1024;

    private S3Client s3;
    private S3Presigner presigner;
    private String bucket;

    abstract AwsTarget target();

    @BeforeAll
    void createBucket() {
        AwsTarget target = target();
        s3 = target.s3();
        presigner = target.presigner();
        bucket = "mpu-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
    }

    @AfterAll
    void closeClients() {
        s3.close();
        presigner.close();
    }

    @Test
    void aPresignedPartUrlTakesExactlyItsSignedLength() {
        String key = key();
        String uploadId = create(key);
        byte[] part = PresignedPutConformance.png(1000);
        var put = presignPart(key, uploadId, 1, part.length);

        assertThat(put.send(Arrays.copyOf(part, part.length + 1)).statusCode())
                .as("one byte more")
                .isIn(400, 403);
        assertThat(put.send(Arrays.copyOf(part, part.length - 1)).statusCode())
                .as("one byte less")
                .isIn(400, 403);
        assertThat(listedParts(key, uploadId)).as("nothing stored").isEmpty();

        assertThat(put.send(part).statusCode()).isEqualTo(200);
        assertThat(s3.listParts(r -> r.bucket(bucket).key(key).uploadId(uploadId))
                        .parts())
                .singleElement()
                .satisfies(p -> assertThat(p.size()).isEqualTo(part.length));
        abort(key, uploadId);
    }

    @Test
    void aPartUrlCannotWriteAnotherPartNumberOrUpload() {
        String key = key();
        String uploadId = create(key);
        var put = presignPart(key, uploadId, 1, 100);

        var otherPart = put.withUrl(URI.create(put.url().toString().replace("partNumber=1", "partNumber=2")));

        assertThat(otherPart.send(new byte[100]).statusCode()).isIn(400, 403);
        assertThat(listedParts(key, uploadId)).isEmpty();
        abort(key, uploadId);
    }

    @Test
    void completionWithAPartThatWasNotUploadedIsRefusedAndCreatesNothing() {
        String key = key();
        String uploadId = create(key);
        List<CompletedPart> parts = new ArrayList<>();
        parts.add(uploadPart(key, uploadId, 1, MIN_PART));
        parts.add(CompletedPart.builder()
                .partNumber(2)
                .eTag("\"0123456789abcdef0123456789abcdef\"")
                .build());

        assertThatThrownBy(() -> complete(key, uploadId, parts, false)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart");
        });
        assertThat(exists(key)).isFalse();
        abort(key, uploadId);
    }

    @Test
    void aPartUnderFiveMegabytesThatIsNotTheLastIsRefusedAtCompletion() {
        String key = key();
        String uploadId = create(key);
        List<CompletedPart> parts = List.of(uploadPart(key, uploadId, 1, 1000), uploadPart(key, uploadId, 2, 1000));

        assertThatThrownBy(() -> complete(key, uploadId, parts, false)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall");
        });
        assertThat(exists(key)).isFalse();
        abort(key, uploadId);
    }

    @Test
    void completionWithIfNoneMatchOverAnExistingKeyIsRefusedAndKeepsTheObject() {
        String key = key();
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("first"));
        String uploadId = create(key);
        List<CompletedPart> parts = List.of(uploadPart(key, uploadId, 1, 1000));

        assertThatThrownBy(() -> complete(key, uploadId, parts, true))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String())
                .isEqualTo("first");
        abort(key, uploadId);
    }

    @Test
    void completionWithIfNoneMatchOnANewKeyStoresThePartsInOrderWithAMultipartETag() {
        String key = key();
        String uploadId = create(key);
        List<CompletedPart> parts = List.of(uploadPart(key, uploadId, 1, MIN_PART), uploadPart(key, uploadId, 2, 10));

        complete(key, uploadId, parts, true);

        var head = s3.headObject(r -> r.bucket(bucket).key(key));
        assertThat(head.contentLength()).isEqualTo(MIN_PART + 10);
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.metadata()).containsEntry("user-id", "alice");
        assertThat(head.eTag())
                .as("S3's multipart ETag: an MD5 of the parts' MD5s, then -<parts>")
                .matches("\"[0-9a-f]{32}-2\"");
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        assertThat(Arrays.copyOfRange(stored, MIN_PART, MIN_PART + 10)).isEqualTo(body(2, 10));
        assertThat(openUploads(key)).isEmpty();
    }

    @Test
    void anAbortedUploadIsGoneWithItsParts() {
        String key = key();
        String uploadId = create(key);
        uploadPart(key, uploadId, 1, 1000);
        assertThat(openUploads(key)).containsExactly(uploadId);

        abort(key, uploadId);

        assertThat(openUploads(key)).isEmpty();
        assertThat(exists(key)).isFalse();
        // S3 also answers ListParts with 404 NoSuchUpload now; the sandbox does not (SandboxKnownGapsTest)
        assertThatThrownBy(() -> complete(key, uploadId, List.of(uploadPart(key, uploadId, 2, 10)), false))
                .isInstanceOf(S3Exception.class);
        assertThat(exists(key)).isFalse();
    }

    @Test
    void anOpenUploadIsNotListedAsAnObject() {
        String key = key();
        String uploadId = create(key);
        uploadPart(key, uploadId, 1, 1000);

        assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents())
                .extracting(o -> o.key())
                .doesNotContain(key)
                .noneMatch(k -> k.contains("mpu"));
        abort(key, uploadId);
    }

    // ---- helpers

    private String key() {
        return "incoming/conformance/" + UUID.randomUUID() + ".mp4";
    }

    /** As the signer starts one: the declared type and the owner's metadata. */
    private String create(String key) {
        return s3.createMultipartUpload(
                        r -> r.bucket(bucket).key(key).contentType("video/mp4").metadata(Map.of("user-id", "alice")))
                .uploadId();
    }

    private PresignedPut presignPart(String key, String uploadId, int partNumber, long length) {
        var presigned = presigner.presignUploadPart(p -> p.signatureDuration(Duration.ofMinutes(5))
                .uploadPartRequest(r -> r.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength(length)));
        return PresignedPut.of(URI.create(presigned.url().toString()), presigned.signedHeaders());
    }

    private CompletedPart uploadPart(String key, String uploadId, int partNumber, int size) {
        String eTag = s3.uploadPart(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                        RequestBody.fromBytes(body(partNumber, size)))
                .eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
    }

    void complete(String key, String uploadId, List<CompletedPart> parts, boolean ifNoneMatch) {
        s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .ifNoneMatch(ifNoneMatch ? "*" : null)
                .multipartUpload(m -> m.parts(parts)));
    }

    private void abort(String key, String uploadId) {
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    }

    private List<String> listedParts(String key, String uploadId) {
        return s3.listParts(r -> r.bucket(bucket).key(key).uploadId(uploadId)).parts().stream()
                .map(p -> p.partNumber() + ":" + p.size())
                .toList();
    }

    private List<String> openUploads(String key) {
        return s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)).uploads().stream()
                .map(u -> u.uploadId())
                .toList();
    }

    private boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Distinct bytes per part number, so parts completed out of order would show. */
    static byte[] body(int partNumber, int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) partNumber);
        return bytes;
    }
}
