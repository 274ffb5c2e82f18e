package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.notifications.NotificationType;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Operators' blocks on users: set, replace and lift them. Each is audited. */
class AccountBlocks {

    /** Admins see that a block came from a person; the blocked user sees this text in the signer's 403. */
    static final String OPERATOR_BLOCK_PREFIX = "blocked by an operator: ";

    private final AuditedBooks books;

    AccountBlocks(AuditedBooks books) {
        this.books = books;
    }

    /** See {@link AdminLedger#block}. */
    Optional<Account> block(String userId, Duration duration, Operator by) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a block needs a duration of more than 0, was " + duration);
        }
        Instant until = micros(by.at().plus(duration));
        return changeLocked(userId, AdminAction.BLOCK, by, before -> {
            Account blocked = books.db()
                    .sql("""
                            UPDATE accounts SET blocked_until = :until, blocked_reason = :blockedReason,
                                                updated_at = :now
                             WHERE user_id = :userId
                            RETURNING *""")
                    .param("until", timestamp(until))
                    .param("blockedReason", OPERATOR_BLOCK_PREFIX + by.reason())
                    .param("now", timestamp(by.at()))
                    .param("userId", userId)
                    .query(LedgerRows::account)
                    .single();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("duration", duration.toString());
            details.put("blockedUntil", until.toString());
            details.put("previousBlockedUntil", text(before.blockedUntil()));
            details.put("previousBlockedReason", before.blockedReason());
            details.put("violations", before.violations());
            return new Change(blocked, details);
        });
    }

    /** See {@link AdminLedger#unblock}. */
    Optional<Account> unblock(String userId, Operator by) {
        return changeLocked(userId, AdminAction.UNBLOCK, by, before -> {
            Account unblocked = books.db()
                    .sql("""
                            UPDATE accounts SET blocked_until = NULL, blocked_reason = NULL, violations = 0,
                                                updated_at = :now
                             WHERE user_id = :userId
                            RETURNING *""")
                    .param("now", timestamp(by.at()))
                    .param("userId", userId)
                    .query(LedgerRows::account)
                    .single();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("wasBlocked", before.isBlocked(by.at()));
            details.put("previousBlockedUntil", text(before.blockedUntil()));
            details.put("previousBlockedReason", before.blockedReason());
            details.put("previousViolations", before.violations());
            return new Change(unblocked, details);
        });
    }

    /** The account after a change, and what the audit row says about it. */
    private record Change(Account after, Map<String, Object> details) {}

    /**
     * In one transaction: locks the account, applies {@code change} to it as it was, audits. A user
     * the ledger does not know gets nothing written: a typo must not create an account.
     */
    private Optional<Account> changeLocked(
            String userId, AdminAction action, Operator by, Function<Account, Change> change) {
        return books.db().inTransaction(tx -> {
            Optional<Account> before = books.queries().lockAccount(userId);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Change changed = change.apply(before.get());
            books.audit().write(action, userId, null, by, changed.details());
            if (action == AdminAction.BLOCK) {
                books.outbox().user(NotificationType.USER_BLOCKED, userId, by.at());
            } else if (before.get().blockedUntil() != null || before.get().violations() > 0) {
                // lifting nothing is not news: a repeated unblock announces nothing
                books.outbox().user(NotificationType.USER_UNBLOCKED, userId, by.at());
            }
            return Optional.of(changed.after());
        });
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
