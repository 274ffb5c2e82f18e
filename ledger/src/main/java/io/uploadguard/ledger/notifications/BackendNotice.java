package io.uploadguard.ledger.notifications;

import java.time.Instant;

/**
 * Whether the backend has been told about an upload: its notifications' deliveries by state, over
 * every configured channel. All zero when no channel is configured, before the dispatcher fanned the
 * events out, or after delivered events were pruned.
 *
 * @param lastDeliveredAt when the latest delivery arrived, or null
 */
public record BackendNotice(long delivered, long pending, long failed, Instant lastDeliveredAt) {

    public static final BackendNotice NONE = new BackendNotice(0, 0, 0, null);

    public boolean none() {
        return delivered == 0 && pending == 0 && failed == 0;
    }
}
