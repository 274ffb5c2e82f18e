package io.uploadguard.benchmarks.multipart;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The baseline: the same file as a plain SDK multipart upload (CreateMultipartUpload, UploadPart
 * with the same part size and parallelism, CompleteMultipartUpload) with the SDK's sync client:
 * no {@code Expect: 100-continue} round trip and no checksum, as the presigned PUTs send none. Over
 * the sandbox's plain HTTP the SDK always signs the payload (aws-chunked,
 * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: it ignores {@code PAYLOAD_SIGNING_ENABLED=false} when
 * the endpoint is not HTTPS), so it hashes every byte and S3Proxy checks every chunk's signature;
 * against S3 over HTTPS it would send an unsigned payload.
 */
final class SdkMultipartRun implements AutoCloseable {

    private final S3Client s3;
    private final String bucket;

    SdkMultipartRun(SandboxEndpoints endpoints, int parallel) {
        this.bucket = endpoints.bucket();
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(endpoints.s3Endpoint()))
                .region(Region.of(endpoints.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoints.accessKey(), endpoints.secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(Apache5HttpClient.builder()
                        .expectContinueEnabled(false)
                        .maxConnections(parallel * 2)
                        .build())
                .build();
    }

    /** Uploads the file in parts; returns the key it was stored under. */
    String upload(PartedFile file, int parallel) {
        String key = "bench/multipart/" + UUID.randomUUID() + ".bin";
        String uploadId = s3.createMultipartUpload(
                        r -> r.bucket(bucket).key(key).contentType("application/octet-stream"))
                .uploadId();
        List<CompletedPart> parts = ParallelParts.send(file.partCount(), parallel, number -> {
            String eTag = s3.uploadPart(
                            r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                            RequestBody.fromBytes(file.read(number)))
                    .eTag();
            return CompletedPart.builder().partNumber(number).eTag(eTag).build();
        });
        s3.completeMultipartUpload(
                r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        return key;
    }

    long storedSize(String key) {
        return s3.headObject(r -> r.bucket(bucket).key(key)).contentLength();
    }

    void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    @Override
    public void close() {
        s3.close();
    }
}
