package io.uploadguard.ledger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code uploads}: an object, from its reservation to its removal.
 *
 * @param userId null for an object written with no reservation by nobody we know
 * @param objectKey the incoming key the object was written to
 * @param currentKey where the object is now (incoming, served or quarantine key); null once gone
 * @param declaredType null for an object written with no reservation
 * @param declaredSize null for an object written with no reservation
 * @param action once a verdict was carried out (PURGED once an operator deleted it from quarantine)
 * @param expiresAt when its signed URL expires; null for an object written with no reservation
 * @param settledAt when the verdict was booked
 * @param removedAt when the object was deleted
 * @param clientReference the backend's own reference given at signing, opaque to us, or null
 */
public record Upload(
        UUID uploadId,
        String userId,
        String profile,
        String bucket,
        String objectKey,
        String currentKey,
        String declaredType,
        Long declaredSize,
        String checksumSha256,
        String filename,
        UploadStatus status,
        List<String> reasons,
        UploadAction action,
        Long realSize,
        String detectedType,
        String etag,
        Instant createdAt,
        Instant expiresAt,
        Instant settledAt,
        Instant removedAt,
        String clientReference) {

    public Upload {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** Whether the object sits in quarantine now: rejected, quarantined, and not purged. */
    public boolean inQuarantine() {
        return status == UploadStatus.REJECTED && action == UploadAction.QUARANTINED && currentKey != null;
    }

    /**
     * Whether an accept or reject may still settle it. Besides reservations, that is one whose URL
     * expired, and one whose incoming object was deleted before its verdict was booked: the enforcer
     * deletes the incoming object when it moves it, and that deletion's event may be booked first.
     */
    public boolean awaitsVerdict() {
        return status == UploadStatus.RESERVED
                || status == UploadStatus.EXPIRED
                || (status == UploadStatus.REMOVED && settledAt == null);
    }
}
