package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import java.util.Optional;

/** What booking a verdict did. */
public sealed interface SettleOutcome {

    /** The upload as it stands after the call, if there is one. */
    default Optional<Upload> resulting() {
        if (this instanceof Settled settled) {
            return Optional.of(settled.upload());
        }
        if (this instanceof Recorded recorded) {
            return Optional.of(recorded.upload());
        }
        return this instanceof AlreadySettled already ? Optional.of(already.upload()) : Optional.empty();
    }

    /** Whether the call changed the books. */
    default boolean changed() {
        return this instanceof Settled || this instanceof Recorded;
    }

    /**
     * The verdict was booked.
     *
     * @param previous RESERVED, EXPIRED or REMOVED (deleted before its verdict was booked)
     * @param userBlocked whether this violation blocked the user
     */
    record Settled(Upload upload, UploadStatus previous, boolean userBlocked) implements SettleOutcome {}

    /**
     * An object written with no reservation was booked as rejected.
     *
     * @param userBlocked whether this violation blocked the user it was attributed to
     */
    record Recorded(Upload upload, boolean userBlocked) implements SettleOutcome {}

    /** Nothing changed: the object already has a verdict (or, for an unreserved one, a row). */
    record AlreadySettled(Upload upload) implements SettleOutcome {}

    /** Nothing changed: no upload has this incoming key. */
    record NoUploadAtKey(String bucket, String key) implements SettleOutcome {}
}
