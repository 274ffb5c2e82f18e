package io.uploadguard.ledger.admin;

import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.booking.AccountCounters;
import io.uploadguard.ledger.booking.LedgerQueries;
import io.uploadguard.ledger.notifications.Outbox;

/**
 * What every operator change works with: the database, the row locks, the one writer of the
 * account counters, and the audit log and the notification outbox each change writes to in its own
 * transaction.
 */
record AuditedBooks(
        LedgerDatabase db, LedgerQueries queries, AccountCounters counters, AuditLog audit, Outbox outbox) {}
