/**
 * What operators do to the books (blocks, quarantine releases and purges) and read (listings, the
 * audit log). {@link io.uploadguard.ledger.admin.AdminLedger} is the entry point.
 */
package io.uploadguard.ledger.admin;
