package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.textArray;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * The one writer of an account's counters: bytes and objects used and reserved, and violations.
 * Each change is one {@code UPDATE accounts}, which locks the account row; callers that change an
 * upload row too lock it first, so the order is always upload row, then account row. The schema's
 * CHECKs ({@code >= 0}) make a change that would count something twice fail loudly.
 */
public final class AccountCounters {

    private static final String CHANGE = "UPDATE accounts SET "
            + deltaSet(":heldBytes", ":heldObjects", ":bytesUsed", ":objectsUsed")
            + " WHERE user_id = :userId RETURNING *";

    private static final String CHARGE_VIOLATION = "UPDATE accounts SET " + violationSet(":heldBytes", ":heldObjects")
            + " WHERE user_id = :userId RETURNING *";

    private final JdbcClient jdbc;

    public AccountCounters(JdbcClient jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /**
     * Counts one more object of {@code bytes} as used (an operator's release from quarantine).
     *
     * @return the account after, or empty for a user the ledger does not know
     */
    public Optional<Account> addUsed(String userId, long bytes, Instant now) {
        return change(userId, bytes, 1, Held.NOTHING, now);
    }

    /**
     * Sets the counters to what the upload rows say (reconciliation); the only change that is not a
     * delta, so it is not used by bookings.
     */
    public void overwrite(String userId, long bytesUsed, long objectsUsed, long bytesReserved, long objectsReserved) {
        jdbc.sql("""
                        UPDATE accounts SET bytes_used = ?, objects_used = ?, bytes_reserved = ?,
                               objects_reserved = ?, updated_at = now()
                        WHERE user_id = ?""")
                .params(bytesUsed, objectsUsed, bytesReserved, objectsReserved, userId)
                .update();
    }

    /** A deleted accepted object gives its bytes and its object back. */
    void giveBackUsed(String userId, long realSize, Instant now) {
        change(userId, -realSize, -1, Held.NOTHING, now);
    }

    /** Gives back what an upload held; nothing to give back writes nothing. */
    void release(String userId, Held held, Instant now) {
        if (held.objects() == 0) {
            return;
        }
        change(userId, 0, 0, held, now);
    }

    /**
     * Releases what the upload held and counts a violation. The count is not reset by a block, so
     * once a user has reached the threshold every further violation blocks them again.
     *
     * @return whether the user is blocked by it (has reached the threshold)
     */
    boolean chargeViolation(String userId, Held held, List<String> reasons, Quota quota, Instant now) {
        Account account = bindViolation(jdbc.sql(CHARGE_VIOLATION), reasons, quota, now)
                .param("heldBytes", held.bytes())
                .param("heldObjects", held.objects())
                .param("userId", userId)
                .query(LedgerRows::account)
                .single();
        return account.violations() >= quota.violationsBeforeBlock();
    }

    /**
     * The {@code SET} clause of a violation: releases what the upload held ({@code heldBytes} and
     * {@code heldObjects} are SQL expressions) and counts the violation, blocking at the threshold;
     * parameters {@code :threshold}, {@code :blockedUntil}, {@code :reasons} and {@code :now}.
     */
    static String violationSet(String heldBytes, String heldObjects) {
        return """
                bytes_reserved = accounts.bytes_reserved - %s,
                objects_reserved = accounts.objects_reserved - %s,
                violations = accounts.violations + 1,
                blocked_until = CASE WHEN accounts.violations + 1 >= :threshold
                                     THEN GREATEST(accounts.blocked_until, :blockedUntil)
                                     ELSE accounts.blocked_until END,
                blocked_reason = CASE WHEN accounts.violations + 1 >= :threshold
                                      THEN (accounts.violations + 1) || ' violations, the last: '
                                           || CAST(:reasons AS text)
                                      ELSE accounts.blocked_reason END,
                updated_at = :now""".formatted(heldBytes, heldObjects);
    }

    /** Binds the parameters of {@link #violationSet}. */
    static StatementSpec bindViolation(StatementSpec statement, List<String> reasons, Quota quota, Instant now) {
        return statement
                .param("threshold", quota.violationsBeforeBlock())
                .param("blockedUntil", timestamp(now.plus(quota.blockDuration())))
                .param("reasons", String.join(", ", reasons))
                .param("now", timestamp(now));
    }

    /** Gives back what several users held, one sum per user, locking their rows in user id order. */
    void releaseAll(List<Held> perUser, Instant now) {
        List<String> users = perUser.stream().map(Held::userId).toList();
        // an UPDATE locks in no particular order; this SELECT locks in user id order
        jdbc.sql("SELECT user_id FROM accounts WHERE user_id = ANY(:users) ORDER BY user_id FOR UPDATE")
                .param("users", textArray(users))
                .query(String.class)
                .list();
        jdbc.sql("""
                        UPDATE accounts a
                           SET bytes_reserved = a.bytes_reserved - r.bytes,
                               objects_reserved = a.objects_reserved - r.objects,
                               updated_at = :now
                          FROM unnest(CAST(:users AS text[]), CAST(:bytes AS bigint[]), CAST(:objects AS bigint[]))
                               AS r (user_id, bytes, objects)
                         WHERE a.user_id = r.user_id""")
                .param("users", textArray(users))
                .param(
                        "bytes",
                        new SqlArrayValue(
                                "bigint", perUser.stream().map(Held::bytes).toArray()))
                .param(
                        "objects",
                        new SqlArrayValue(
                                "bigint", perUser.stream().map(Held::objects).toArray()))
                .param("now", timestamp(now))
                .update();
    }

    /** The one delta update: {@code used} grows by the given amounts, {@code reserved} shrinks by {@code held}. */
    private Optional<Account> change(String userId, long bytesUsed, long objectsUsed, Held held, Instant now) {
        return jdbc.sql(CHANGE)
                .param("heldBytes", held.bytes())
                .param("heldObjects", held.objects())
                .param("bytesUsed", bytesUsed)
                .param("objectsUsed", objectsUsed)
                .param("now", timestamp(now))
                .param("userId", userId)
                .query(LedgerRows::account)
                .optional();
    }

    /**
     * The {@code SET} clause of the one delta update, its amounts SQL expressions: {@code used}
     * grows by {@code bytesUsed} and {@code objectsUsed}, {@code reserved} shrinks by what was
     * held; parameter {@code :now}.
     */
    static String deltaSet(String heldBytes, String heldObjects, String bytesUsed, String objectsUsed) {
        return """
                bytes_reserved = accounts.bytes_reserved - %s,
                objects_reserved = accounts.objects_reserved - %s,
                bytes_used = accounts.bytes_used + %s,
                objects_used = accounts.objects_used + %s,
                updated_at = :now""".formatted(heldBytes, heldObjects, bytesUsed, objectsUsed);
    }
}
