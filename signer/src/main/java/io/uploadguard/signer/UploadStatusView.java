package io.uploadguard.signer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.notifications.BackendNotice;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What {@code GET /uploads/{uploadId}} tells the uploader about their upload.
 *
 * @param signatures what the malware scan found in a {@code MALWARE} upload; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record UploadStatusView(
        UUID uploadId,
        String key,
        String profile,
        String status,
        List<String> reasons,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> signatures,
        String action,
        String declaredType,
        Long declaredSize,
        String detectedType,
        Long realSize,
        Instant createdAt,
        Instant expiresAt,
        Instant settledAt,
        Instant removedAt,
        String clientReference,
        Backend backend) {

    /**
     * Whether the backend was told of the verdict: deliveries of this upload's notifications over every
     * configured channel; absent when there is nothing to tell (no channel, or not fanned out yet).
     */
    record Backend(long delivered, long pending, long failed, Instant lastDeliveredAt) {

        static Backend of(BackendNotice notice) {
            return notice.none()
                    ? null
                    : new Backend(notice.delivered(), notice.pending(), notice.failed(), notice.lastDeliveredAt());
        }
    }

    static UploadStatusView of(Upload u, List<String> signatures, boolean scanPending, BackendNotice notice) {
        return new UploadStatusView(
                u.uploadId(),
                u.objectKey(),
                u.profile(),
                scanPending ? "scan_pending" : u.status().name().toLowerCase(Locale.ROOT),
                u.reasons(),
                signatures,
                u.action() == null ? null : u.action().name().toLowerCase(Locale.ROOT),
                u.declaredType(),
                u.declaredSize(),
                u.detectedType(),
                u.realSize(),
                u.createdAt(),
                u.expiresAt(),
                u.settledAt(),
                u.removedAt(),
                u.clientReference(),
                Backend.of(notice));
    }
}
