package io.uploadguard.ledger.policy;

/** Whether a profile's objects go through the malware scanner before they are promoted. */
public enum ScanRequirement {
    /** Scanned; an object that cannot be scanned is held, then rejected as SCAN_FAILED, never accepted. */
    REQUIRED,
    /** Scanned when the scanner can; an object it cannot scan is accepted with a warning metric. */
    OPTIONAL,
    /** Not scanned. */
    OFF
}
