package io.uploadguard.enforcer.enforcement;

import io.uploadguard.security.LogSafe;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The copy of one object too large for CopyObject (S3 refuses a copy source over 5 GB): a multipart
 * upload at the destination whose parts are UploadPartCopy ranges of the source, completed at once.
 * It gives what the single copy gives: each part carries {@code x-amz-copy-source-if-match}, so
 * bytes of another object under the key are never copied (S3 answers 412, as CopyObject does); the
 * destination gets exactly the headers and metadata passed (CreateMultipartUpload takes them as
 * CopyObject does with {@code MetadataDirective: REPLACE}); a missing source answers 404.
 *
 * <p>Safe to repeat: an attempt first aborts any multipart upload still open at the destination key
 * (one a crashed earlier attempt left; only the enforcer writes served and quarantine keys), and the
 * destination appears whole at completion or not at all, so a second attempt ends as one clean
 * attempt would. Nothing is left open: any failure aborts the upload. An upload aborted under a
 * concurrent attempt (a duplicate delivery) fails that attempt with {@link IllegalStateException},
 * never as a missing source: its message comes back and finds the other attempt's result.
 *
 * <p>Why not the SDK's own multipart copy ({@code S3AsyncClient} with {@code multipartEnabled}): it
 * needs an asynchronous client and its HTTP client beside the enforcer's, fetches the source's tags
 * (S3Proxy answers 501) and leaves a crashed attempt's upload open until the bucket's lifecycle rule.
 * Parts are copied one after another: S3 copies inside itself, and the enforcer already works on
 * several messages at once.
 */
@Component
class LargeObjectCopy {

    private static final Logger log = LoggerFactory.getLogger(LargeObjectCopy.class);

    /** S3's limit on the parts of one upload. */
    static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final LargeCopyProperties properties;

    LargeObjectCopy(S3Client s3, LargeCopyProperties properties) {
        this.s3 = s3;
        this.properties = properties;
    }

    /** Whether an object of this size is copied here rather than with CopyObject. */
    boolean needed(long size) {
        return size > properties.threshold().toBytes();
    }

    /**
     * Makes the copy CopyObject would make of {@code size} bytes (its headers replaced: {@code
     * MetadataDirective: REPLACE}).
     *
     * @throws S3Exception as CopyObject would: 404 when the source is gone, 412 when it is another object
     */
    void copy(CopyObjectRequest copy, long size) {
        if (copy.metadataDirective() != MetadataDirective.REPLACE) {
            throw new IllegalArgumentException("only copies that replace the headers are made in parts");
        }
        String toBucket = copy.destinationBucket();
        String toKey = copy.destinationKey();
        abortOpenUploads(toBucket, toKey);
        String uploadId = s3.createMultipartUpload(r -> r.bucket(toBucket)
                        .key(toKey)
                        .contentType(copy.contentType())
                        .contentDisposition(copy.contentDisposition())
                        .metadata(copy.metadata()))
                .uploadId();
        try {
            long partSize = partSize(size);
            List<CompletedPart> parts = new ArrayList<>();
            for (long start = 0; start < size; start += partSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(start + partSize, size) - 1);
                String eTag = s3.uploadPartCopy(r -> r.sourceBucket(copy.sourceBucket())
                                .sourceKey(copy.sourceKey())
                                .copySourceIfMatch(copy.copySourceIfMatch())
                                .copySourceRange(range)
                                .destinationBucket(toBucket)
                                .destinationKey(toKey)
                                .uploadId(uploadId)
                                .partNumber(partNumber))
                        .copyPartResult()
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(eTag)
                        .build());
            }
            s3.completeMultipartUpload(
                    r -> r.bucket(toBucket).key(toKey).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            log.info(
                    "copied key={} to key={} in {} parts of {} bytes",
                    LogSafe.escape(copy.sourceKey()),
                    LogSafe.escape(toKey),
                    parts.size(),
                    partSize);
        } catch (RuntimeException | Error e) {
            abort(toBucket, toKey, uploadId, e);
            if (e instanceof S3Exception s && "NoSuchUpload".equals(errorCode(s))) {
                throw new IllegalStateException(
                        "the multipart copy to " + toKey + " was aborted by another attempt at the same object", e);
            }
            throw e;
        }
    }

    /** The configured part size, or larger where the object would need more than 10,000 parts. */
    long partSize(long size) {
        long fitting = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(properties.partSize().toBytes(), fitting);
    }

    /** What an earlier attempt at the same destination left open when it crashed. */
    private void abortOpenUploads(String bucket, String key) {
        for (MultipartUpload open : s3.listMultipartUploadsPaginator(
                        r -> r.bucket(bucket).prefix(key))
                .uploads()) {
            if (open.key().equals(key)) {
                log.info(
                        "aborting multipart upload {} left open at key={} by an earlier attempt",
                        LogSafe.escape(open.uploadId()),
                        LogSafe.escape(key));
                abort(bucket, key, open.uploadId(), null);
            }
        }
    }

    private void abort(String bucket, String key, String uploadId, Throwable cause) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return; // aborted already
            }
            if (cause == null) {
                throw e;
            }
            // the bucket's lifecycle rule (AbortIncompleteMultipartUpload) is the backstop
            cause.addSuppressed(e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
