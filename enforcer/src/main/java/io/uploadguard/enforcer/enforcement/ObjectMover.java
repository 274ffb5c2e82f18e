package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.inspection.Inspection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Carries out verdicts in S3. Moves are copy-then-delete, so a crash between the two leaves the
 * object in both places, never in neither; every step is safe to repeat.
 */
@Component
public class ObjectMover {

    private final S3Client s3;
    private final LargeObjectCopy largeCopy;

    ObjectMover(S3Client s3, LargeObjectCopy largeCopy) {
        this.s3 = s3;
        this.largeCopy = largeCopy;
    }

    /**
     * Copies the object with extra metadata (the verdict's record), then removes the original.
     * Headers are replaced, not copied: the copy gets {@code contentType} and {@code
     * contentDisposition} (null for none).
     *
     * @param size the object's size: one over the large-copy threshold is copied in parts
     * @return false if the original was gone before the copy: another attempt at the same event
     *     (a duplicate delivered to another consumer) moved it first, or its owner deleted it
     */
    public boolean move(
            String bucket,
            String key,
            long size,
            String toBucket,
            String toKey,
            String contentType,
            String contentDisposition,
            Map<String, String> metadata,
            Map<String, String> verdictMetadata) {
        return copy(
                        bucket,
                        key,
                        null,
                        size,
                        toBucket,
                        toKey,
                        contentType,
                        contentDisposition,
                        merged(metadata, verdictMetadata))
                && deleted(bucket, key);
    }

    /**
     * Moves exactly the bytes that were inspected: the copy carries the inspected ETag as
     * {@code x-amz-copy-source-if-match}, because the URL that wrote the object may write the key
     * again (If-None-Match only guards a key that exists) between the inspection and the copy.
     *
     * @param contentDisposition for the copy; null for none
     * @return false if the original was gone before the copy (as {@link #move})
     * @throws ObjectChangedException if the object under the key is no longer the one inspected
     */
    boolean moveInspected(
            Inspection inspection,
            String toBucket,
            String toKey,
            String contentDisposition,
            Map<String, String> verdictMetadata) {
        return copy(
                        inspection.bucket(),
                        inspection.key(),
                        inspection.eTag(),
                        inspection.realSize(),
                        toBucket,
                        toKey,
                        inspection.storedContentType(),
                        contentDisposition,
                        merged(inspection.metadata(), verdictMetadata))
                && deleted(inspection.bucket(), inspection.key());
    }

    private boolean copy(
            String bucket,
            String key,
            String ifMatch,
            long size,
            String toBucket,
            String toKey,
            String contentType,
            String contentDisposition,
            Map<String, String> metadata) {
        CopyObjectRequest request = CopyObjectRequest.builder()
                .sourceBucket(bucket)
                .sourceKey(key)
                .copySourceIfMatch(ifMatch)
                .destinationBucket(toBucket)
                .destinationKey(toKey)
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType(contentType)
                .contentDisposition(contentDisposition)
                .metadata(metadata)
                .build();
        try {
            if (largeCopy.needed(size)) {
                largeCopy.copy(request, size);
            } else {
                s3.copyObject(request);
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            if (e.statusCode() == 412 && ifMatch != null) {
                throw new ObjectChangedException(bucket, key, ifMatch);
            }
            throw e;
        }
        return true;
    }

    private static Map<String, String> merged(Map<String, String> metadata, Map<String, String> verdictMetadata) {
        Map<String, String> merged = new HashMap<>(metadata);
        merged.putAll(verdictMetadata);
        return merged;
    }

    private boolean deleted(String bucket, String key) {
        delete(bucket, key);
        return true;
    }

    /** Deleting a key that is already gone succeeds, as S3 does. */
    public void delete(String bucket, String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }
}
