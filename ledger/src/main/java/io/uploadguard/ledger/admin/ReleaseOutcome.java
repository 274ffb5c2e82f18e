package io.uploadguard.ledger.admin;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.policy.QuotaKind;
import java.util.UUID;

/** The answer to releasing a quarantined object: booked as accepted, or refused and why. */
public sealed interface ReleaseOutcome {

    /** Whether the call changed the books. */
    default boolean changed() {
        return this instanceof Released;
    }

    /**
     * Booked: the object counts as accepted, promoted to the served key.
     *
     * @param account the owner's books after the release
     * @param forced whether it went over the owner's quota because the operator forced it
     */
    record Released(Upload upload, Account account, boolean forced) implements ReleaseOutcome {}

    /** Nothing changed: an operator released it already. */
    record AlreadyReleased(Upload upload) implements ReleaseOutcome {}

    /** Nothing changed: no upload has this id. */
    record NoUploadToRelease(UUID uploadId) implements ReleaseOutcome {}

    /** Nothing changed: the object is not in quarantine (accepted, deleted, purged, not yet inspected). */
    record NotReleasable(Upload upload) implements ReleaseOutcome {}

    /** Nothing changed: written with no reservation by nobody we know, so no quota to count it against. */
    record NoOwner(Upload upload) implements ReleaseOutcome {}

    /**
     * Nothing changed: counting the object would take its owner over quota, and the release was not
     * forced.
     *
     * @param which the limit it would go over
     * @param wouldBe used plus reserved plus this object
     */
    record OverQuota(Upload upload, QuotaKind which, long limit, long wouldBe) implements ReleaseOutcome {}
}
