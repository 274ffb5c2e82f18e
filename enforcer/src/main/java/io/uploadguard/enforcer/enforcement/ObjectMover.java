package io.uploadguard.enforcer.enforcement;

import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Carries out verdicts in S3. Moves are copy-then-delete, so a crash between the two leaves the
 * object in both places, never in neither; every step is safe to repeat.
 */
@Component
public class ObjectMover {

    private final S3Client s3;

    ObjectMover(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * Copies the object with extra metadata (the verdict's record), then removes the original.
     *
     * @return false if the original was gone before the copy: another attempt at the same event
     *     (a duplicate delivered to another consumer) moved it first, or its owner deleted it
     */
    public boolean move(
            String bucket,
            String key,
            String toBucket,
            String toKey,
            String contentType,
            Map<String, String> metadata,
            Map<String, String> verdictMetadata) {
        Map<String, String> merged = new HashMap<>(metadata);
        merged.putAll(verdictMetadata);
        try {
            s3.copyObject(r -> r.sourceBucket(bucket)
                    .sourceKey(key)
                    .destinationBucket(toBucket)
                    .destinationKey(toKey)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType(contentType)
                    .metadata(merged));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
        delete(bucket, key);
        return true;
    }

    /** Deleting a key that is already gone succeeds, as S3 does. */
    public void delete(String bucket, String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }
}
