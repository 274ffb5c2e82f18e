package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.signer.PutUrlSigner.PresignedPut;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * {@link PutUrlSigner} answers exactly what the SDK's presigner answers for the same PUT: the same
 * URL (so the same signature) and the same signed headers, for an endpoint override with path-style
 * addressing, AWS's virtual-host addressing, and a bucket with dots (which AWS addresses by path).
 */
class PutUrlSignerTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsSessionCredentials.create("access", "secret", "session/token+="));
    private static final String KEY = "incoming/user s+1/ab~c(1)!*'\u00e9.png";
    private static final Map<String, String> METADATA = Map.of("user-id", "user%20s%2B1", "upload-id", "abc");

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                "http://127.0.0.1:40081, true, eu-west-1, uploadguard, -",
                "http://127.0.0.1:40081, true, eu-west-1, uploadguard, Zm9vYmFy",
                "-, false, eu-west-1, uploadguard, Zm9vYmFy",
                "-, false, us-east-1, my.dotted.bucket, -"
            })
    void signsWhatTheSdkPresignerSigns(
            String endpoint, boolean pathStyle, String region, String bucket, String checksum) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(pathStyle)
                        .build())
                .credentialsProvider(CREDENTIALS)
                .region(Region.of(region));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        S3Presigner presigner = builder.build();
        PutUrlSigner direct = PutUrlSigner.forBucket(presigner, bucket, CREDENTIALS);

        // both sign with the current time to the second: try until both calls fall in one second
        for (int attempt = 0; attempt < 10; attempt++) {
            PresignedPutObjectRequest sdk = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(PutObjectRequest.builder()
                            .bucket(bucket)
                            .key(KEY)
                            .contentType("image/png")
                            .contentLength(123L)
                            .metadata(METADATA)
                            .ifNoneMatch("*")
                            .checksumSHA256(checksum)
                            .build()));
            PresignedPut ours =
                    direct.presign(KEY, "image/png", 123L, METADATA, checksum, Instant.now(), Duration.ofMinutes(5));
            if (amzDate(sdk.url().toString()).equals(amzDate(ours.url()))) {
                assertThat(ours.url()).isEqualTo(sdk.url().toString());
                assertThat(ours.signedHeaders()).isEqualTo(sdk.signedHeaders());
                assertThat(ours.expiration())
                        .isBetween(
                                sdk.expiration().minusSeconds(2),
                                sdk.expiration().plusSeconds(2));
                return;
            }
        }
        throw new AssertionError("never signed within one second ten times in a row");
    }

    private static String amzDate(String url) {
        int at = url.indexOf("X-Amz-Date=");
        return url.substring(at, at + "X-Amz-Date=20261206T051848Z".length());
    }
}
