/** Checks the account counters against the upload rows, and sets them back. */
package io.uploadguard.ledger.reconciliation;
