package io.uploadguard.ledger.notifications;

import java.time.Instant;
import java.util.UUID;

/**
 * One event claimed for one channel: what to send, and what identifies this attempt.
 *
 * @param eventId the event's id, the same on every attempt and channel
 * @param attempt this attempt's number (1 for the first); marking the outcome needs it
 * @param payload the event's JSON, exactly as stored
 * @param retryUntil past this, a failed attempt marks the delivery failed
 */
public record Delivery(
        UUID eventId,
        String channel,
        int attempt,
        String type,
        String payload,
        Instant createdAt,
        Instant retryUntil) {}
