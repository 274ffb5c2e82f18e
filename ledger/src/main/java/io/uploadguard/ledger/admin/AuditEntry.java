package io.uploadguard.ledger.admin;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code audit_log}: who did what, when and why.
 *
 * @param actor the admin token's user claim
 * @param userId the user acted on, or the owner of the object acted on; null for an object of nobody
 * @param uploadId the object acted on, for RELEASE and PURGE
 * @param details a JSON object with what the action changed (previous block, keys, size, forced)
 */
public record AuditEntry(
        long id,
        Instant at,
        String actor,
        AdminAction action,
        String userId,
        UUID uploadId,
        String reason,
        String details) {}
