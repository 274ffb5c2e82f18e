package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.notifications.Outbox;

/**
 * What every booking works with: the database, the row reads and locks, and the one writer of the
 * account counters, and the outbox each booking announces itself in.
 */
record Books(LedgerDatabase db, LedgerQueries queries, AccountCounters counters, Outbox outbox) {}
