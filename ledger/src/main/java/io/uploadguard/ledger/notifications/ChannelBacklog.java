package io.uploadguard.ledger.notifications;

import java.time.Instant;

/**
 * What a channel still has to deliver.
 *
 * @param oldest when the oldest of them was booked, or null if none
 */
public record ChannelBacklog(String channel, long pending, Instant oldest) {}
