package io.uploadguard.ledger.policy;

/** What the enforcer does with an object that breaks its profile. */
public enum ViolationAction {
    /** Keep a copy under the quarantine prefix for review, then remove the original. */
    QUARANTINE,
    /** Remove the object outright. */
    DELETE
}
