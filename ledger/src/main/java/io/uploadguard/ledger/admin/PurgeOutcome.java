package io.uploadguard.ledger.admin;

import io.uploadguard.ledger.Upload;
import java.util.UUID;

/** The answer to purging a quarantined object. The booking comes before the delete. */
public sealed interface PurgeOutcome {

    default boolean changed() {
        return this instanceof Purged;
    }

    /**
     * Booked as purged: the caller now deletes {@code quarantineKey}.
     *
     * @param quarantineKey where the object was, in the quarantine bucket
     */
    record Purged(Upload upload, String quarantineKey) implements PurgeOutcome {}

    /** Nothing changed: it was purged already (the delete may still have to be finished). */
    record AlreadyPurged(Upload upload) implements PurgeOutcome {}

    /** Nothing changed: no upload has this id. */
    record NoUploadToPurge(UUID uploadId) implements PurgeOutcome {}

    /** Nothing changed: the object is not in quarantine. */
    record NotPurgeable(Upload upload) implements PurgeOutcome {}
}
