package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.security.ApiException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 calls of a multipart upload the signer makes itself: create, list parts, complete, abort.
 * Clients only ever get UploadPart URLs. S3 failing or unreachable is a 503 {@code
 * storage_unavailable} the client may retry; an upload S3 no longer knows is {@link GoneInS3}.
 */
@Component
class S3MultipartUploads {

    static final String SHA256 = "SHA256";

    private final S3Client s3;

    S3MultipartUploads(S3Client s3) {
        this.s3 = s3;
    }

    /** Starts the upload with the owner metadata a single PUT carries; returns S3's UploadId. */
    String create(String bucket, String key, String contentType, Map<String, String> metadata, String algorithm) {
        return call(() -> s3.createMultipartUpload(b -> b.bucket(bucket)
                        .key(key)
                        .contentType(contentType)
                        .metadata(metadata)
                        .checksumAlgorithm(SHA256.equals(algorithm) ? ChecksumAlgorithm.SHA256 : null))
                .uploadId());
    }

    /** Every part S3 holds, all pages, by part number. */
    List<Part> parts(MultipartUpload upload) {
        return call(() -> s3
                .listPartsPaginator(
                        b -> b.bucket(upload.bucket()).key(upload.key()).uploadId(upload.s3UploadId()))
                .parts()
                .stream()
                .sorted(Comparator.comparing(Part::partNumber))
                .toList());
    }

    /**
     * Completes the upload from {@code parts} (with their checksums when the upload has them), with
     * {@code If-None-Match: *} so that it never replaces an object already at the key.
     */
    void complete(MultipartUpload upload, List<Part> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder()
                        .partNumber(p.partNumber())
                        .eTag(p.eTag())
                        .checksumSHA256(SHA256.equals(upload.checksumAlgorithm()) ? p.checksumSHA256() : null)
                        .build())
                .toList();
        call(() -> s3.completeMultipartUpload(b -> b.bucket(upload.bucket())
                .key(upload.key())
                .uploadId(upload.s3UploadId())
                .ifNoneMatch("*")
                .multipartUpload(m -> m.parts(completed))));
    }

    /** Aborts the upload; one S3 no longer knows (aborted or completed before) counts as done. */
    void abort(MultipartUpload upload) {
        if (upload.s3UploadId() == null) {
            return;
        }
        try {
            call(() -> s3.abortMultipartUpload(
                    b -> b.bucket(upload.bucket()).key(upload.key()).uploadId(upload.s3UploadId())));
        } catch (GoneInS3 e) {
            // already aborted or completed: nothing left to abort
        }
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchUploadException e) {
            throw new GoneInS3();
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null
                    && "NoSuchUpload".equals(e.awsErrorDetails().errorCode())) {
                throw new GoneInS3();
            }
            if (e.statusCode() == 412) {
                throw ApiException.of(409, "upload_not_open", "an object already exists at this upload's key");
            }
            throw unavailable();
        } catch (SdkException e) {
            throw unavailable();
        }
    }

    static ApiException unavailable() {
        return ApiException.of(503, "storage_unavailable", "S3 cannot be reached just now; retry shortly")
                .retryAfter(java.time.Duration.ofSeconds(5));
    }

    /** S3 does not know the upload any more: it was aborted, or completed. */
    static final class GoneInS3 extends RuntimeException {
        GoneInS3() {
            super("no such multipart upload in S3", null, false, false);
        }
    }
}
