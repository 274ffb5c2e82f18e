package io.uploadguard.ledger.admin;

/**
 * What an operator did, as written to {@code audit_log.action}. Stored by name, and the schema
 * checks the names: adding one needs a migration.
 */
public enum AdminAction {
    BLOCK,
    UNBLOCK,
    RELEASE,
    PURGE,
    /** Account counters set back to the sums of their upload rows by reconciliation. */
    REPAIR
}
