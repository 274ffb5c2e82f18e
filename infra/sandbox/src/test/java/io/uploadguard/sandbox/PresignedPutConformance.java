package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What UploadGuard's signer relies on S3 to enforce for a presigned PUT: every signed header, the
 * exact length, the checksum, the expiry and no overwrite. The same tests run against the sandbox
 * and, where Docker exists, LocalStack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PresignedPutConformance {

    private AwsTarget target;
    private S3Client s3;
    private S3Presigner presigner;
    private String bucket;

    abstract AwsTarget target();

    @BeforeAll
    void createBucket() {
        target = target();
        s3 = target.s3();
        presigner = target.presigner();
        bucket = "put-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
    }

    @AfterAll
    void closeClients() {
        s3.close();
        presigner.close();
    }

    @Test
    void aPutWithExactlyTheSignedHeadersIsStoredAsSigned() {
        String key = key();
        byte[] body = png(1000);
        var put = presign(key, "image/png", body.length, null);

        assertThat(put.send(body).statusCode()).isEqualTo(200);

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.metadata()).containsEntry("user-id", "alice");
    }

    @Test
    void anotherContentTypeIsRefused() {
        String key = key();
        byte[] body = png(100);
        var put = presign(key, "image/png", body.length, null).withHeader("Content-Type", "text/html");

        assertRefused(put.send(body).statusCode(), key);
    }

    @Test
    void oneByteMoreIsRefused() {
        String key = key();
        var put = presign(key, "image/png", 100, null);

        assertRefused(put.send(png(101)).statusCode(), key);
    }

    @Test
    void oneByteLessIsRefused() {
        String key = key();
        var put = presign(key, "image/png", 100, null);

        assertRefused(put.send(png(99)).statusCode(), key);
    }

    @Test
    void missingMetadataIsRefused() {
        String key = key();
        var put = presign(key, "image/png", 100, null).withoutHeader("x-amz-meta-user-id");

        assertRefused(put.send(png(100)).statusCode(), key);
    }

    @Test
    void changedMetadataIsRefused() {
        String key = key();
        var put = presign(key, "image/png", 100, null).withHeader("x-amz-meta-user-id", "mallory");

        assertRefused(put.send(png(100)).statusCode(), key);
    }

    @Test
    void aTamperedSignatureIsRefused() {
        String key = key();
        var put = presign(key, "image/png", 100, null);
        String url = put.url().toString();
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = url.charAt(at) == 'a' ? 'b' : 'a';
        var tampered = put.withUrl(URI.create(url.substring(0, at) + flipped + url.substring(at + 1)));

        assertRefused(tampered.send(png(100)).statusCode(), key);
    }

    @Test
    void theUrlCannotWriteAnotherKey() {
        String key = key();
        String other = key();
        var put = presign(key, "image/png", 100, null);
        var moved = put.withUrl(URI.create(put.url().toString().replace(key, other)));

        assertRefused(moved.send(png(100)).statusCode(), other);
        assertThat(exists(key)).isFalse();
    }

    @Test
    void anExpiredUrlIsRefused() {
        String key = key();
        var put = presignSignedTenMinutesAgo(key, "image/png", 100, Duration.ofMinutes(1));

        assertRefused(put.send(png(100)).statusCode(), key);
    }

    @Test
    void theRightChecksumIsAccepted() {
        String key = key();
        byte[] body = png(500);
        var put = presign(key, "image/png", body.length, sha256(body));

        assertThat(put.send(body).statusCode()).isEqualTo(200);
        assertThat(exists(key)).isTrue();
    }

    @Test
    void otherBytesThanTheSignedChecksumAreRefused() {
        String key = key();
        byte[] body = png(500);
        byte[] other = png(500);
        other[499] ^= 1;
        var put = presign(key, "image/png", body.length, sha256(body));

        int status = put.send(other).statusCode();
        assertThat(status).isBetween(400, 403);
        assertThat(exists(key)).isFalse();
    }

    @Test
    void aSecondPutWithTheSameUrlCannotOverwrite() {
        String key = key();
        byte[] first = png(100);
        byte[] second = png(100);
        second[50] = 42;
        var put = presign(key, "image/png", 100, null);
        assertThat(put.send(first).statusCode()).isEqualTo(200);

        assertThat(put.send(second).statusCode()).isEqualTo(412);

        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        assertThat(stored).isEqualTo(first);
    }

    private void assertRefused(int status, String key) {
        assertThat(status).as("S3 refuses with 400 or 403").isIn(400, 403);
        assertThat(exists(key)).as("nothing was stored at %s", key).isFalse();
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

    private PutObjectRequest putRequest(String key, String contentType, long length, String checksum) {
        return PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType(contentType)
                .contentLength(length)
                .metadata(Map.of("user-id", "alice"))
                .ifNoneMatch("*")
                .checksumSHA256(checksum)
                .build();
    }

    private PresignedPut presign(String key, String contentType, long length, String checksum) {
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(putRequest(key, contentType, length, checksum)));
        return PresignedPut.of(URI.create(presigned.url().toString()), presigned.signedHeaders());
    }

    /**
     * S3Presigner takes no clock, so an already expired URL is signed with the SDK's SigV4 signer
     * directly, as S3Presigner would, but as of ten minutes ago.
     */
    private PresignedPut presignSignedTenMinutesAgo(String key, String contentType, long length, Duration validFor) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.PUT)
                .uri(URI.create(target.s3Endpoint() + "/" + bucket + "/" + key))
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Long.toString(length))
                .putHeader("x-amz-meta-user-id", "alice")
                .putHeader("If-None-Match", "*")
                .build();
        SignedRequest presigned = AwsV4HttpSigner.create()
                .sign(r -> r.request(request)
                        .identity(target.credentials().resolveCredentials())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, target.region())
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, validFor)
                        .putProperty(
                                HttpSigner.SIGNING_CLOCK, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))));
        return PresignedPut.of(presigned.request().getUri(), presigned.request().headers());
    }

    private static String key() {
        return "incoming/conformance/" + UUID.randomUUID() + ".png";
    }

    static byte[] png(int size) {
        byte[] bytes = new byte[size];
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, Math.min(size, magic.length));
        for (int i = magic.length; i < size; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }

    static String sha256(byte[] body) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnsignedRequestIsRefused() {
        String key = key();
        var anonymous = new PresignedPut(
                URI.create(target.s3Endpoint() + "/" + bucket + "/" + key), Map.of("Content-Type", "image/png"));

        assertRefused(anonymous.send(png(10)).statusCode(), key);
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(bucket).key(key))).isInstanceOf(S3Exception.class);
    }
}
