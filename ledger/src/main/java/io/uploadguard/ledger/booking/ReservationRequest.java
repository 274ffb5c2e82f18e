package io.uploadguard.ledger.booking;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What the signer asks the ledger to hold before it signs a URL.
 *
 * @param key the incoming key the URL is signed for
 * @param size the declared size in bytes, signed into the URL
 * @param checksumSha256 base64 SHA-256 the client declared, or null
 * @param filename the client's file name, for display only, or null
 * @param expiresAt when the signed URL expires
 * @param clientReference the backend's own reference, echoed in every notification, or null
 */
public record ReservationRequest(
        UUID uploadId,
        String userId,
        String profile,
        String bucket,
        String key,
        String contentType,
        long size,
        String checksumSha256,
        String filename,
        Instant expiresAt,
        String clientReference) {

    /** A request without a client reference. */
    public ReservationRequest(
            UUID uploadId,
            String userId,
            String profile,
            String bucket,
            String key,
            String contentType,
            long size,
            String checksumSha256,
            String filename,
            Instant expiresAt) {
        this(uploadId, userId, profile, bucket, key, contentType, size, checksumSha256, filename, expiresAt, null);
    }

    public ReservationRequest {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (size <= 0) {
            throw new IllegalArgumentException("size must be more than 0, was " + size);
        }
    }
}
