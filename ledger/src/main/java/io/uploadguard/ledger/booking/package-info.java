/**
 * What the signer and the enforcer book: reservations, verdicts, removals. {@link
 * io.uploadguard.ledger.booking.QuotaLedger} is the entry point; {@link
 * io.uploadguard.ledger.booking.AccountCounters} the one writer of the account counters.
 */
package io.uploadguard.ledger.booking;
