package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.admin.ReleaseOutcome.AlreadyReleased;
import io.uploadguard.ledger.admin.ReleaseOutcome.NoOwner;
import io.uploadguard.ledger.admin.ReleaseOutcome.NotQuarantined;
import io.uploadguard.ledger.admin.ReleaseOutcome.Released;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReserveOutcome.QuotaExceeded;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What operators do to the books: block and unblock users, release or purge quarantined objects,
 * and read what they need to decide. Each change is one transaction that also writes its
 * {@code audit_log} row, so no change is ever booked without who made it and why.
 *
 * <p>Locks follow {@link QuotaLedger}'s order (upload row first, account row second), so admin
 * actions and enforcement cannot deadlock each other.
 *
 * <p>Refusals write nothing, audit included: they changed nothing (metrics count them).
 */
public class AdminLedger {

    private static final String QUARANTINED = "QUARANTINED";
    private static final String PURGED = "PURGED";
    /** Admins see that a block came from a person; the blocked user sees this text in the signer's 403. */
    static final String OPERATOR_BLOCK_PREFIX = "blocked by an operator: ";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public AdminLedger(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Blocks a user from signing until {@code now + duration}, replacing any block they had (an
     * operator may shorten an automatic block as well as lengthen it). Violations are left alone.
     *
     * @param reason why; the blocked user sees it in the signer's refusal
     * @return the account after the block, or empty (and nothing written) for a user the ledger
     *         does not know: a typo must not create an account
     */
    public Optional<Account> block(String userId, Duration duration, String reason, String actor, Instant now) {
        requireText("userId", userId);
        requireText("reason", reason);
        requireText("actor", actor);
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a block needs a duration of more than 0, was " + duration);
        }
        Instant at = micros(now);
        Instant until = micros(at.plus(duration));
        return inTransaction(tx -> {
            Optional<Account> before = lockAccount(userId);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Account blocked = jdbc.sql("""
                            UPDATE accounts SET blocked_until = :until, blocked_reason = :blockedReason,
                                                updated_at = :now
                             WHERE user_id = :userId
                            RETURNING *""")
                    .param("until", timestamp(until))
                    .param("blockedReason", OPERATOR_BLOCK_PREFIX + reason)
                    .param("now", timestamp(at))
                    .param("userId", userId)
                    .query(LedgerRows::account)
                    .single();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("duration", duration.toString());
            details.put("blockedUntil", until.toString());
            details.put("previousBlockedUntil", text(before.get().blockedUntil()));
            details.put("previousBlockedReason", before.get().blockedReason());
            details.put("violations", before.get().violations());
            audit(at, actor, AdminAction.BLOCK, userId, null, reason, details);
            return Optional.of(blocked);
        });
    }

    /**
     * Lifts a user's block and sets their violation count back to 0: the ledger blocks again at
     * every violation past the threshold, so a user unblocked with the count left as it was would
     * be blocked again by their next rejected upload. Repeating it changes nothing but the audit.
     *
     * @return the account after, or empty (and nothing written) for a user the ledger does not know
     */
    public Optional<Account> unblock(String userId, String actor, String reason, Instant now) {
        requireText("userId", userId);
        requireText("reason", reason);
        requireText("actor", actor);
        Instant at = micros(now);
        return inTransaction(tx -> {
            Optional<Account> before = lockAccount(userId);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Account unblocked = jdbc.sql("""
                            UPDATE accounts SET blocked_until = NULL, blocked_reason = NULL, violations = 0,
                                                updated_at = :now
                             WHERE user_id = :userId
                            RETURNING *""")
                    .param("now", timestamp(at))
                    .param("userId", userId)
                    .query(LedgerRows::account)
                    .single();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("wasBlocked", before.get().isBlocked(at));
            details.put("previousBlockedUntil", text(before.get().blockedUntil()));
            details.put("previousBlockedReason", before.get().blockedReason());
            details.put("previousViolations", before.get().violations());
            audit(at, actor, AdminAction.UNBLOCK, userId, null, reason, details);
            return Optional.of(unblocked);
        });
    }

    /**
     * Books a quarantined object as accepted, promoted to {@code servedKey}: its real size and one
     * object count as used by its owner. Refused if that would take the owner's used plus reserved
     * over {@code quota} (reserved counts, as it does when the signer reserves: those uploads will
     * count once accepted), unless {@code force}.
     *
     * <p>Call it once the object is at {@code servedKey}. Repeating a release answers
     * {@link AlreadyReleased} and changes nothing.
     */
    public ReleaseOutcome releaseQuarantined(
            UUID uploadId, String servedKey, boolean force, Quota quota, String actor, String reason, Instant now) {
        Objects.requireNonNull(uploadId, "uploadId");
        requireText("servedKey", servedKey);
        Objects.requireNonNull(quota, "quota");
        requireText("reason", reason);
        requireText("actor", actor);
        Instant at = micros(now);
        return inTransaction(tx -> releaseLocked(uploadId, servedKey, force, quota, actor, reason, at));
    }

    /**
     * What {@link #releaseQuarantined} would answer now, changing nothing: the same code in a
     * transaction that is rolled back. Lets the caller refuse before it moves the object.
     */
    public ReleaseOutcome previewRelease(UUID uploadId, String servedKey, boolean force, Quota quota, Instant now) {
        Objects.requireNonNull(uploadId, "uploadId");
        requireText("servedKey", servedKey);
        Objects.requireNonNull(quota, "quota");
        Instant at = micros(now);
        return inTransaction(tx -> {
            tx.setRollbackOnly();
            return releaseLocked(uploadId, servedKey, force, quota, "preview", "preview", at);
        });
    }

    private ReleaseOutcome releaseLocked(
            UUID uploadId, String servedKey, boolean force, Quota quota, String actor, String reason, Instant now) {
        Optional<Upload> found = lockUpload(uploadId);
        if (found.isEmpty()) {
            return new ReleaseOutcome.NotFound(uploadId);
        }
        Upload upload = found.get();
        if (upload.status() == UploadStatus.ACCEPTED && wasReleased(uploadId)) {
            return new AlreadyReleased(upload);
        }
        if (!inQuarantine(upload)) {
            return new NotQuarantined(upload);
        }
        if (upload.userId() == null) {
            return new NoOwner(upload);
        }
        long size = Objects.requireNonNull(upload.realSize(), "a quarantined object was measured");
        Account account = jdbc.sql("SELECT * FROM accounts WHERE user_id = :userId FOR UPDATE")
                .param("userId", upload.userId())
                .query(LedgerRows::account)
                .single();
        long bytesWouldBe = saturatedSum(account.bytesUsed(), account.bytesReserved(), size);
        long objectsWouldBe = saturatedSum(account.objectsUsed(), account.objectsReserved(), 1);
        boolean overBytes = bytesWouldBe > quota.maxBytes();
        boolean overObjects = objectsWouldBe > quota.maxObjects();
        if (!force && overBytes) {
            return new ReleaseOutcome.QuotaExceeded(upload, QuotaExceeded.BYTES, quota.maxBytes(), bytesWouldBe);
        }
        if (!force && overObjects) {
            return new ReleaseOutcome.QuotaExceeded(upload, QuotaExceeded.OBJECTS, quota.maxObjects(), objectsWouldBe);
        }
        Account after = jdbc.sql("""
                        UPDATE accounts SET bytes_used = bytes_used + :size, objects_used = objects_used + 1,
                                            updated_at = :now
                         WHERE user_id = :userId
                        RETURNING *""")
                .param("size", size)
                .param("now", timestamp(now))
                .param("userId", upload.userId())
                .query(LedgerRows::account)
                .single();
        // the rejection's reasons and time stay on the row: they say what the operator overrode
        Upload released = jdbc.sql("""
                        UPDATE uploads SET status = 'ACCEPTED', action = 'PROMOTED', current_key = :servedKey
                         WHERE upload_id = :uploadId
                        RETURNING *""")
                .param("servedKey", servedKey)
                .param("uploadId", uploadId)
                .query(LedgerRows::upload)
                .single();
        boolean forced = overBytes || overObjects;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("quarantineKey", upload.currentKey());
        details.put("servedKey", servedKey);
        details.put("realSize", size);
        details.put("reasons", upload.reasons());
        details.put("force", force);
        details.put("overQuota", forced);
        audit(now, actor, AdminAction.RELEASE, upload.userId(), uploadId, reason, details);
        return new Released(released, after, forced);
    }

    /**
     * Books a quarantined object as purged (no current key, removed now) before anything is
     * deleted, so no object disappears without a recorded reason. Its owner's books do not change:
     * a rejected object holds nothing against the quota.
     *
     * @return {@link PurgeOutcome.Purged} with the key to delete now; a repeat answers
     *         {@link PurgeOutcome.AlreadyPurged}, and its caller finishes the delete
     */
    public PurgeOutcome purgeQuarantined(UUID uploadId, String actor, String reason, Instant now) {
        Objects.requireNonNull(uploadId, "uploadId");
        requireText("reason", reason);
        requireText("actor", actor);
        Instant at = micros(now);
        return inTransaction(tx -> {
            Optional<Upload> found = lockUpload(uploadId);
            if (found.isEmpty()) {
                return new PurgeOutcome.NotFound(uploadId);
            }
            Upload upload = found.get();
            if (PURGED.equals(upload.action())) {
                return new PurgeOutcome.AlreadyPurged(upload);
            }
            if (!inQuarantine(upload)) {
                return new PurgeOutcome.NotQuarantined(upload);
            }
            Upload purged = jdbc.sql("""
                            UPDATE uploads SET action = 'PURGED', current_key = NULL, removed_at = :now
                             WHERE upload_id = :uploadId
                            RETURNING *""")
                    .param("now", timestamp(at))
                    .param("uploadId", uploadId)
                    .query(LedgerRows::upload)
                    .single();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("quarantineKey", upload.currentKey());
            details.put("realSize", upload.realSize());
            details.put("reasons", upload.reasons());
            details.put("detectedType", upload.detectedType());
            details.put("declaredType", upload.declaredType());
            audit(at, actor, AdminAction.PURGE, upload.userId(), uploadId, reason, details);
            return new PurgeOutcome.Purged(purged, upload.currentKey());
        });
    }

    /**
     * The objects in quarantine now, newest verdict first.
     *
     * @param reason only objects rejected for this {@link Reason} name
     * @param cursor null or empty for the first page, else a previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException for a cursor this listing did not give out
     */
    public Page<Upload> quarantined(Optional<String> userId, Optional<String> reason, int limit, String cursor) {
        requireLimit(limit);
        StringBuilder sql =
                new StringBuilder("SELECT * FROM uploads WHERE action = 'QUARANTINED' AND current_key IS NOT NULL");
        Map<String, Object> params = new LinkedHashMap<>();
        userId.ifPresent(id -> {
            sql.append(" AND user_id = :userId");
            params.put("userId", id);
        });
        reason.ifPresent(r -> {
            sql.append(" AND :reason = ANY (reasons)");
            params.put("reason", r);
        });
        if (cursor != null && !cursor.isEmpty()) {
            LedgerCursor.Position after = LedgerCursor.decode(LedgerCursor.QUARANTINE, cursor);
            sql.append(" AND (settled_at, upload_id) < (:at, :uploadId)");
            params.put("at", timestamp(after.at()));
            params.put("uploadId", after.uploadId());
        }
        sql.append(" ORDER BY settled_at DESC, upload_id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<Upload> rows = jdbc.sql(sql.toString())
                .params(params)
                .query(LedgerRows::upload)
                .list();
        return page(
                rows, limit, last -> LedgerCursor.encode(LedgerCursor.QUARANTINE, last.settledAt(), last.uploadId()));
    }

    /**
     * A user's uploads, newest first, every status.
     *
     * @param cursor null or empty for the first page, else a previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException for a cursor this listing did not give out
     */
    public Page<Upload> uploads(String userId, int limit, String cursor) {
        requireText("userId", userId);
        requireLimit(limit);
        JdbcClient.StatementSpec statement;
        if (cursor == null || cursor.isEmpty()) {
            statement = jdbc.sql("""
                    SELECT * FROM uploads WHERE user_id = :userId
                     ORDER BY created_at DESC, upload_id DESC LIMIT :limit""");
        } else {
            LedgerCursor.Position after = LedgerCursor.decode(LedgerCursor.UPLOADS, cursor);
            statement = jdbc.sql("""
                            SELECT * FROM uploads WHERE user_id = :userId AND (created_at, upload_id) < (:at, :uploadId)
                             ORDER BY created_at DESC, upload_id DESC LIMIT :limit""").param("at", timestamp(after.at())).param("uploadId", after.uploadId());
        }
        List<Upload> rows = statement
                .param("userId", userId)
                .param("limit", limit + 1)
                .query(LedgerRows::upload)
                .list();
        return page(rows, limit, last -> LedgerCursor.encode(LedgerCursor.UPLOADS, last.createdAt(), last.uploadId()));
    }

    /** What operators did to a user and to their objects, newest first. */
    public List<AuditEntry> auditFor(String userId, int limit) {
        requireText("userId", userId);
        requireLimit(limit);
        return jdbc.sql("SELECT * FROM audit_log WHERE user_id = :userId ORDER BY at DESC, id DESC LIMIT :limit")
                .param("userId", userId)
                .param("limit", limit)
                .query(LedgerRows::auditEntry)
                .list();
    }

    /** What operators did to one object, oldest first. */
    public List<AuditEntry> auditForUpload(UUID uploadId) {
        return jdbc.sql("SELECT * FROM audit_log WHERE upload_id = :uploadId ORDER BY at, id")
                .param("uploadId", Objects.requireNonNull(uploadId, "uploadId"))
                .query(LedgerRows::auditEntry)
                .list();
    }

    private static boolean inQuarantine(Upload upload) {
        return upload.status() == UploadStatus.REJECTED
                && QUARANTINED.equals(upload.action())
                && upload.currentKey() != null;
    }

    private boolean wasReleased(UUID uploadId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM audit_log WHERE upload_id = :uploadId AND action = 'RELEASE')")
                .param("uploadId", uploadId)
                .query(Boolean.class)
                .single();
    }

    private Optional<Upload> lockUpload(UUID uploadId) {
        return jdbc.sql("SELECT * FROM uploads WHERE upload_id = :uploadId FOR UPDATE")
                .param("uploadId", uploadId)
                .query(LedgerRows::upload)
                .optional();
    }

    private Optional<Account> lockAccount(String userId) {
        return jdbc.sql("SELECT * FROM accounts WHERE user_id = :userId FOR UPDATE")
                .param("userId", userId)
                .query(LedgerRows::account)
                .optional();
    }

    /**
     * Writes the audit row. Details are built by PostgreSQL from typed parameters
     * ({@code jsonb_build_object}), so no value is ever pasted into JSON text by hand.
     */
    private void audit(
            Instant at,
            String actor,
            AdminAction action,
            String userId,
            UUID uploadId,
            String reason,
            Map<String, Object> details) {
        StringBuilder object = new StringBuilder("jsonb_build_object(");
        Map<String, Object> params = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Object> detail : details.entrySet()) {
            if (i > 0) {
                object.append(", ");
            }
            String name = "k" + i;
            String value = "v" + i;
            object.append("CAST(:").append(name).append(" AS text), ").append(jsonValue(value, detail.getValue()));
            params.put(name, detail.getKey());
            params.put(value, parameter(detail.getValue()));
            i++;
        }
        object.append(")");
        params.put("at", timestamp(at));
        params.put("actor", actor);
        params.put("action", action.name());
        params.put("userId", userId);
        params.put("uploadId", uploadId);
        params.put("reason", reason);
        jdbc.sql("INSERT INTO audit_log (at, actor, action, user_id, upload_id, reason, details)"
                        + " VALUES (:at, :actor, :action, :userId, CAST(:uploadId AS uuid), :reason, " + object + ")")
                .params(params)
                .update();
    }

    /** The SQL for one detail's value; its type decides the JSON type. */
    private static String jsonValue(String param, Object value) {
        if (value instanceof Boolean) {
            return "CAST(:" + param + " AS boolean)";
        }
        if (value instanceof Number) {
            return "CAST(:" + param + " AS bigint)";
        }
        if (value instanceof List<?>) {
            return "to_jsonb(CAST(:" + param + " AS text[]))";
        }
        return "CAST(:" + param + " AS text)";
    }

    private static Object parameter(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof List<?> list) {
            return new SqlArrayValue("text", list.stream().map(String::valueOf).toArray());
        }
        return value;
    }

    private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = new ArrayList<>(rows.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(items.size() - 1)));
    }

    private <T> T inTransaction(TransactionCallback<T> work) {
        return Objects.requireNonNull(transactions.execute(work));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static long saturatedSum(long a, long b, long c) {
        try {
            return Math.addExact(Math.addExact(a, b), c);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Instant micros(Instant instant) {
        return Objects.requireNonNull(instant, "now").truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static void requireLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be more than 0, was " + limit);
        }
    }
}
