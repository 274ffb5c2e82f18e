package io.uploadguard.enforcer.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The admin API's response bodies (documented in {@code static/admin-openapi.yaml}). */
final class AdminViews {

    private AdminViews() {}

    record Usage(long bytesUsed, long objectsUsed, long bytesReserved, long objectsReserved) {
        static Usage of(Account account) {
            return new Usage(
                    account.bytesUsed(), account.objectsUsed(), account.bytesReserved(), account.objectsReserved());
        }
    }

    /** @param blockDuration ISO-8601, how long an automatic block lasts */
    record Limits(
            long maxBytes,
            long maxObjects,
            int maxSignedUrlsPerMinute,
            int violationsBeforeBlock,
            String blockDuration) {
        static Limits of(Quota quota) {
            return new Limits(
                    quota.maxBytes(),
                    quota.maxObjects(),
                    quota.maxSignedUrlsPerMinute(),
                    quota.violationsBeforeBlock(),
                    quota.blockDuration().toString());
        }
    }

    /**
     * One upload in a user's history.
     *
     * @param key the incoming key the object was written to
     * @param currentKey where it is now (served or quarantine key); null once gone
     * @param signatures what the malware scan found in a {@code MALWARE} upload; absent otherwise
     */
    record UploadEntry(
            UUID uploadId,
            String profile,
            String status,
            UploadAction action,
            List<String> reasons,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> signatures,
            String key,
            String currentKey,
            String declaredType,
            Long declaredSize,
            String detectedType,
            Long realSize,
            String filename,
            Instant createdAt,
            Instant settledAt,
            Instant removedAt) {
        static UploadEntry of(Upload u, List<String> signatures) {
            return new UploadEntry(
                    u.uploadId(),
                    u.profile(),
                    u.status().name(),
                    u.action(),
                    u.reasons(),
                    signatures,
                    u.objectKey(),
                    u.currentKey(),
                    u.declaredType(),
                    u.declaredSize(),
                    u.detectedType(),
                    u.realSize(),
                    u.filename(),
                    u.createdAt(),
                    u.settledAt(),
                    u.removedAt());
        }
    }

    /** One audit row; {@code details} is a JSON object whose fields depend on the action. */
    record AuditEntry(
            long id,
            Instant at,
            String actor,
            String action,
            String userId,
            UUID uploadId,
            String reason,
            JsonNode details) {
        static AuditEntry of(io.uploadguard.ledger.admin.AuditEntry entry, ObjectMapper json) {
            return new AuditEntry(
                    entry.id(),
                    entry.at(),
                    entry.actor(),
                    entry.action().name(),
                    entry.userId(),
                    entry.uploadId(),
                    entry.reason(),
                    json.readTree(entry.details()));
        }
    }

    /**
     * {@code GET /admin/users/{userId}}.
     *
     * @param blocked whether the user is blocked now
     * @param nextCursor for the next page of {@code uploads}; absent on the last page
     * @param audit what operators did to the user and their objects, newest first
     */
    record User(
            String userId,
            Usage usage,
            Limits limits,
            int violations,
            boolean blocked,
            Instant blockedUntil,
            String blockedReason,
            List<UploadEntry> uploads,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor,
            List<AuditEntry> audit) {}

    /** The answer to a block or unblock: the user's standing afterwards. */
    record Standing(
            String userId, boolean blocked, Instant blockedUntil, String blockedReason, int violations, Usage usage) {
        static Standing of(Account account, Instant now) {
            return new Standing(
                    account.userId(),
                    account.isBlocked(now),
                    account.blockedUntil(),
                    account.blockedReason(),
                    account.violations(),
                    Usage.of(account));
        }
    }

    /**
     * One object in quarantine.
     *
     * @param bucket and {@code key}: where it is
     * @param incomingKey where it was uploaded
     * @param size its real size in bytes
     * @param quarantinedAt when its verdict was booked
     * @param signatures what the malware scan found when a reason is {@code MALWARE}; absent otherwise
     */
    record Quarantined(
            UUID uploadId,
            String userId,
            String profile,
            String bucket,
            String key,
            String incomingKey,
            List<String> reasons,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> signatures,
            String detectedType,
            String declaredType,
            Long declaredSize,
            Long size,
            String filename,
            Instant uploadedAt,
            Instant quarantinedAt) {
        static Quarantined of(Upload u, String bucket, List<String> signatures) {
            return new Quarantined(
                    u.uploadId(),
                    u.userId(),
                    u.profile(),
                    bucket,
                    u.currentKey(),
                    u.objectKey(),
                    u.reasons(),
                    signatures,
                    u.detectedType(),
                    u.declaredType(),
                    u.declaredSize(),
                    u.realSize(),
                    u.filename(),
                    u.createdAt(),
                    u.settledAt());
        }
    }

    record QuarantineList(
            List<Quarantined> items,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor) {}

    /**
     * The answer to a release.
     *
     * @param key the served key the object is at now
     * @param forced whether it went over the owner's quota because of {@code force=true}
     * @param repeated whether it had been released already (nothing changed this time)
     */
    record Released(
            UUID uploadId,
            String userId,
            String status,
            UploadAction action,
            String bucket,
            String key,
            long size,
            boolean forced,
            boolean repeated,
            Usage usage) {}

    /** The answer to a purge; {@code repeated} when it had been purged already. */
    record Purged(
            UUID uploadId, String userId, String status, UploadAction action, Instant purgedAt, boolean repeated) {
        static Purged of(Upload u, boolean repeated) {
            return new Purged(u.uploadId(), u.userId(), u.status().name(), u.action(), u.removedAt(), repeated);
        }
    }
}
