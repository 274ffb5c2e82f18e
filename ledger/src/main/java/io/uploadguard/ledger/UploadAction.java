package io.uploadguard.ledger;

/**
 * What was done with an object once its verdict was carried out, as written to
 * {@code uploads.action}. Stored by name, and the schema checks the names: adding one needs a
 * migration.
 */
public enum UploadAction {
    /** Accepted: served at its served key (or marked in place). */
    PROMOTED,
    /** Rejected and kept under the quarantine prefix for review. */
    QUARANTINED,
    /** Rejected and removed outright. */
    DELETED,
    /** Taken out of quarantine and deleted by an operator. */
    PURGED
}
