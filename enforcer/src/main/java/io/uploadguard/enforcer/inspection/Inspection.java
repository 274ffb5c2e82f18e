package io.uploadguard.enforcer.inspection;

import java.util.Map;
import java.util.Objects;

/**
 * What an object really is, found by a ranged GET of its first bytes (and the response's headers).
 *
 * @param realSize bytes stored
 * @param storedContentType the Content-Type S3 stored (the one the client sent); null if none
 * @param metadata the object's user metadata ({@code x-amz-meta-*}, without the prefix)
 * @param eTag null if S3 gave none
 * @param detectedType what {@link ContentSniffer} named the first bytes
 */
public record Inspection(
        String bucket,
        String key,
        long realSize,
        String storedContentType,
        Map<String, String> metadata,
        String eTag,
        String detectedType) {

    public Inspection {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(detectedType, "detectedType");
        if (realSize < 0) {
            throw new IllegalArgumentException("realSize must be 0 or more, was " + realSize);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
