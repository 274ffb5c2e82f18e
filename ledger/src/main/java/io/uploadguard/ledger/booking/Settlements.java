package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.textArray;
import static io.uploadguard.ledger.LedgerRows.timestamp;
import static io.uploadguard.ledger.booking.BookingArguments.requireReasons;
import static io.uploadguard.ledger.booking.BookingArguments.requireSize;

import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.SettleOutcome.AlreadySettled;
import io.uploadguard.ledger.booking.SettleOutcome.NoUploadAtKey;
import io.uploadguard.ledger.booking.SettleOutcome.Settled;
import io.uploadguard.ledger.notifications.NotificationType;
import io.uploadguard.ledger.notifications.Outbox;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;

/**
 * Books the verdicts on reserved uploads: accepted or rejected. A booked verdict is final.
 *
 * <p>A booking is one statement (a {@code WITH} of data-modifying parts): lock the upload row,
 * settle it if it still awaits its verdict, change its user's counters, announce it in the
 * outbox. Booked as five statements of a transaction from Java it took five round trips (lock,
 * counters, upload, outbox, commit) for the one write the enforcer makes per object, on the
 * database every enforcer instance shares. Locks are taken in the ledger's order, the upload row
 * and then the account row: the account's {@code UPDATE} joins the settled row, so it has a row to
 * change only once the upload is locked and settled. A repeated or concurrent booking of the same
 * key waits for the lock, then finds the verdict booked and changes nothing.
 */
class Settlements {

    /** {@link Upload#awaitsVerdict()}, of the locked row {@code old}. */
    private static final String AWAITS_VERDICT =
            "(old.status IN ('RESERVED', 'EXPIRED') OR (old.status = 'REMOVED' AND old.settled_at IS NULL))";

    /** {@link Held#by}, of the locked row {@code old}. */
    private static final String HELD_BYTES = "CASE WHEN old.status = 'RESERVED' THEN old.declared_size ELSE 0 END";

    private static final String HELD_OBJECTS = "CASE WHEN old.status = 'RESERVED' THEN 1 ELSE 0 END";

    /** A verdict's event is about the upload alone: no replay row. */
    private static final String SETTLED_UPLOAD = "settled u LEFT JOIN replayed_uploads r ON false";

    private static final String ACCEPT = settle(
            """
            status = 'ACCEPTED', action = :action, real_size = :realSize, detected_type = :detectedType,
            etag = :etag, current_key = :currentKey, settled_at = :now, removed_at = NULL""",
            AccountCounters.deltaSet(HELD_BYTES, HELD_OBJECTS, ":realSize", "1"),
            Outbox.uploadEventSql(NotificationType.UPLOAD_ACCEPTED, SETTLED_UPLOAD));

    private static final String REJECT = settle(
            """
            status = 'REJECTED', reasons = :reasonList, action = :action, real_size = :realSize,
            detected_type = :detectedType, etag = :etag, current_key = :currentKey, settled_at = :now""",
            AccountCounters.violationSet(HELD_BYTES, HELD_OBJECTS),
            Outbox.uploadEventSql(NotificationType.UPLOAD_REJECTED, SETTLED_UPLOAD),
            // the violation that reaches the threshold blocks the user, and so does every one after it;
            // reading event0 (the rejection) makes PostgreSQL write it first, so the block follows it
            Outbox.userEventSql(
                    NotificationType.USER_BLOCKED,
                    "account a CROSS JOIN (SELECT count(*) FROM event0) rejection_first"
                            + " WHERE a.violations >= :threshold"));

    private final Books books;

    Settlements(Books books) {
        this.books = books;
    }

    /** See {@link QuotaLedger#accept}. */
    SettleOutcome accept(String bucket, String key, VerdictColumns verdict, Instant now) {
        long realSize = Objects.requireNonNull(verdict.realSize(), "realSize");
        requireSize(realSize);
        Instant at = micros(now);
        StatementSpec statement = verdict.bind(books.db().sql(ACCEPT)).param("now", timestamp(at));
        return settle(statement, bucket, key, at, Integer.MAX_VALUE);
    }

    /** See {@link QuotaLedger#reject}. */
    SettleOutcome reject(
            String bucket, String key, List<String> reasons, VerdictColumns verdict, Quota quota, Instant now) {
        requireReasons(reasons);
        Objects.requireNonNull(quota, "quota");
        if (verdict.realSize() != null) {
            requireSize(verdict.realSize());
        }
        Instant at = micros(now);
        StatementSpec statement = AccountCounters.bindViolation(
                        verdict.bind(books.db().sql(REJECT)), reasons, quota, at)
                .param("reasonList", textArray(reasons));
        return settle(statement, bucket, key, at, quota.violationsBeforeBlock());
    }

    /** Runs a booking; {@code blockAt}: the violations at which the user is blocked. */
    private static SettleOutcome settle(StatementSpec statement, String bucket, String key, Instant at, int blockAt) {
        return statement
                .param("bucket", bucket)
                .param("key", key)
                .param("time", at.toString())
                .query((rs, row) -> {
                    Upload upload = LedgerRows.upload(rs, row);
                    if (!rs.getBoolean("settled_now")) {
                        return (SettleOutcome) new AlreadySettled(upload);
                    }
                    Integer violations = rs.getObject("violations", Integer.class);
                    return new Settled(
                            upload,
                            UploadStatus.valueOf(rs.getString("previous_status")),
                            violations != null && violations >= blockAt);
                })
                .optional()
                .orElseGet(() -> new NoUploadAtKey(bucket, key));
    }

    /**
     * The booking statement: {@code uploadSet} settles the upload, {@code accountSet} changes its
     * user's counters (both read the locked row as {@code old}), {@code events} announce it (they
     * read the settled row and the account as changed, and each answers its sequence, for an event
     * that must follow it). It answers the settled row, or the row
     * as it stands if its verdict was booked already, or nothing for a key no upload has.
     */
    private static String settle(String uploadSet, String accountSet, String... events) {
        StringBuilder sql = new StringBuilder("""
                WITH old AS (
                    SELECT * FROM uploads WHERE bucket = :bucket AND object_key = :key FOR UPDATE
                ), settled AS (
                    UPDATE uploads u SET %s
                      FROM old
                     WHERE u.upload_id = old.upload_id AND %s
                    RETURNING u.*
                ), account AS (
                    UPDATE accounts SET %s
                      FROM old JOIN settled ON settled.upload_id = old.upload_id
                     WHERE accounts.user_id = old.user_id
                    RETURNING accounts.*
                )""".formatted(uploadSet, AWAITS_VERDICT, accountSet));
        for (int i = 0; i < events.length; i++) {
            sql.append(", event").append(i).append(" AS (\n").append(events[i]).append("\nRETURNING sequence)");
        }
        sql.append("""

                SELECT true AS settled_now, old.status AS previous_status, account.violations, settled.*
                  FROM settled JOIN old ON true LEFT JOIN account ON true
                UNION ALL
                SELECT false, old.status, NULL, old.* FROM old WHERE NOT EXISTS (SELECT 1 FROM settled)""");
        return sql.toString();
    }
}
