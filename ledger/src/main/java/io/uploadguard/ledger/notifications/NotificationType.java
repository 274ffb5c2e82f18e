package io.uploadguard.ledger.notifications;

import java.util.Arrays;
import java.util.Optional;

/** What a notification announces; {@link #wireName()} is the event's {@code type}. */
public enum NotificationType {
    UPLOAD_ACCEPTED("upload.accepted"),
    UPLOAD_REJECTED("upload.rejected"),
    UPLOAD_REMOVED("upload.removed"),
    UPLOAD_GONE("upload.gone"),
    UPLOAD_RELEASED("upload.released"),
    UPLOAD_PURGED("upload.purged"),
    USER_BLOCKED("user.blocked"),
    USER_UNBLOCKED("user.unblocked");

    private final String wireName;

    NotificationType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<NotificationType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
