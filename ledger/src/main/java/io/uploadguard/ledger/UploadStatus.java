package io.uploadguard.ledger;

/** Where an upload stands in the books. */
public enum UploadStatus {
    /** A URL was signed; its declared size is held against the user's quota until a verdict. */
    RESERVED,
    /** Inspected and accepted: its real size counts as used. */
    ACCEPTED,
    /** Inspected and rejected (or written with no reservation): a violation was counted. */
    REJECTED,
    /** The URL expired before a verdict; the reservation was given back. */
    EXPIRED,
    /** The object was deleted; whatever it held against the quota was given back. */
    REMOVED,
    /** The object was not there any more when the enforcer came to inspect it. */
    GONE
}
