package io.uploadguard.ledger.admin;

/**
 * What an operator did, as written to {@code audit_log.action}. Stored by name, and the schema
 * checks the names: adding one needs a migration.
 */
public enum AdminAction {
    BLOCK,
    UNBLOCK,
    RELEASE,
    PURGE
}
