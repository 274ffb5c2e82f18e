package io.uploadguard.ledger.policy;

/**
 * Why an object was rejected. Stored by name in {@code uploads.reasons}, so renaming a constant
 * orphans the rows that carry the old name.
 */
public enum Reason {
    TOO_LARGE,
    SIZE_MISMATCH,
    TYPE_NOT_ALLOWED,
    TYPE_MISMATCH,
    NO_RESERVATION,
    QUOTA_EXCEEDED,
    USER_BLOCKED,
    /** The malware scanner found a signature; the names go with the quarantined copy. */
    MALWARE,
    /**
     * The profile requires a scan and the object could not be scanned: over the scanner's limits, or
     * the scanner unreachable for longer than the enforcer holds an object for it.
     */
    SCAN_FAILED
}
