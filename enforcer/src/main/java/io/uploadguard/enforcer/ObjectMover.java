package io.uploadguard.enforcer;

import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Carries out verdicts in S3. Moves are copy-then-delete, so a crash between the two leaves the
 * object in both places, never in neither; every step is safe to repeat.
 */
@Component
class ObjectMover {

    private final S3Client s3;

    ObjectMover(S3Client s3) {
        this.s3 = s3;
    }

    /** Copies the object with extra metadata (the verdict's record), then removes the original. */
    void move(String bucket, String key, String toBucket, String toKey, String contentType,
              Map<String, String> metadata, Map<String, String> verdictMetadata) {
        Map<String, String> merged = new HashMap<>(metadata);
        merged.putAll(verdictMetadata);
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(key)
                .destinationBucket(toBucket).destinationKey(toKey)
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType(contentType)
                .metadata(merged));
        delete(bucket, key);
    }

    /** Deleting a key that is already gone succeeds, as S3 does. */
    void delete(String bucket, String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }
}
