package io.uploadguard.ledger;

import java.time.Instant;

/** One row of {@code accounts}: a user's books. */
public record Account(
        String userId,
        String userSegment,
        long bytesUsed,
        long objectsUsed,
        long bytesReserved,
        long objectsReserved,
        int violations,
        Instant blockedUntil,
        String blockedReason,
        Instant rateWindowStart,
        int rateWindowCount,
        Instant createdAt,
        Instant updatedAt) {

    public boolean isBlocked(Instant now) {
        return blockedUntil != null && blockedUntil.isAfter(now);
    }
}
