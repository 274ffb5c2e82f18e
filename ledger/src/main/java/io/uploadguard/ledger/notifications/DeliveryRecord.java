package io.uploadguard.ledger.notifications;

import java.time.Instant;
import java.util.UUID;

/** One delivery as the admin API lists it (without the payload). */
public record DeliveryRecord(
        UUID eventId,
        String channel,
        String type,
        UUID uploadId,
        String userId,
        String status,
        int attempts,
        String lastError,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant deliveredAt,
        Instant failedAt) {}
