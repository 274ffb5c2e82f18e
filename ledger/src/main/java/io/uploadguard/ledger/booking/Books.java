package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.LedgerDatabase;

/**
 * What every booking works with: the database, the row reads and locks, and the one writer of the
 * account counters.
 */
record Books(LedgerDatabase db, LedgerQueries queries, AccountCounters counters) {}
