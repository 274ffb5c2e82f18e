package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.ReserveOutcome.Blocked;
import io.uploadguard.ledger.booking.ReserveOutcome.QuotaExceeded;
import io.uploadguard.ledger.booking.ReserveOutcome.RateLimited;
import io.uploadguard.ledger.booking.ReserveOutcome.Reserved;
import io.uploadguard.ledger.booking.SettleOutcome.AlreadySettled;
import io.uploadguard.ledger.booking.SettleOutcome.NotFound;
import io.uploadguard.ledger.booking.SettleOutcome.Recorded;
import io.uploadguard.ledger.booking.SettleOutcome.Settled;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only code that writes the books. Every operation is one transaction and may be repeated:
 * SQS delivers at least once and the enforcer may crash between two steps, so a second call with
 * the same arguments changes nothing.
 *
 * <p>Locks are always taken upload row first, account row second (reserve only inserts a new
 * upload), and several accounts in user id order, so concurrent calls cannot deadlock.
 *
 * <p>Times are cut to microseconds, PostgreSQL's precision, so what is read back equals what was
 * written.
 */
public class QuotaLedger {

    private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
    private static final String PROMOTED = "PROMOTED";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public QuotaLedger(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Holds the declared size against the user's quota, unless the user is blocked, over the rate
     * limit or would go over quota. A refusal changes nothing; repeating a granted request returns
     * the reservation already made.
     *
     * @throws IllegalArgumentException if the upload id is already another user's
     */
    public ReserveOutcome reserve(ReservationRequest request, Quota quota, Instant now) {
        Instant at = micros(now);
        // one statement, so one round trip: the checks and the booking run in reserve_upload (V4)
        return jdbc.sql("""
                        SELECT * FROM reserve_upload(:uploadId, :userId, :segment, :profile, :bucket, :key,
                                                     :contentType, :size, :checksum, :filename,
                                                     CAST(:now AS timestamptz), CAST(:expiresAt AS timestamptz),
                                                     :maxBytes, :maxObjects, :maxPerMinute)""")
                .param("uploadId", request.uploadId())
                .param("userId", request.userId())
                .param("segment", KeyLayout.userSegment(request.userId()))
                .param("profile", request.profile())
                .param("bucket", request.bucket())
                .param("key", request.key())
                .param("contentType", request.contentType())
                .param("size", request.size())
                .param("checksum", request.checksumSha256())
                .param("filename", request.filename())
                .param("now", timestamp(at))
                .param("expiresAt", timestamp(micros(request.expiresAt())))
                .param("maxBytes", quota.maxBytes())
                .param("maxObjects", quota.maxObjects())
                .param("maxPerMinute", quota.maxSignedUrlsPerMinute())
                .query((rs, row) -> reserveOutcome(rs, request, at))
                .single();
    }

    private static ReserveOutcome reserveOutcome(java.sql.ResultSet rs, ReservationRequest request, Instant now)
            throws java.sql.SQLException {
        String outcome = rs.getString("outcome");
        switch (outcome) {
            case "RESERVED":
                return new Reserved(LedgerRows.upload(rs, 0));
            case "OTHER_USER":
                throw new IllegalArgumentException("upload id " + request.uploadId() + " is another user's");
            case "BLOCKED":
                return new Blocked(
                        rs.getObject("refused_until", java.time.OffsetDateTime.class)
                                .toInstant(),
                        rs.getString("refused_why"));
            case "RATE_LIMITED":
                Instant windowEnds = rs.getObject("refused_until", java.time.OffsetDateTime.class)
                        .toInstant();
                return new RateLimited(retryAfter(Duration.between(now, windowEnds)));
            case "QUOTA_BYTES":
                return new QuotaExceeded(QuotaExceeded.BYTES, rs.getLong("quota_limit"), rs.getLong("would_be"));
            case "QUOTA_OBJECTS":
                return new QuotaExceeded(QuotaExceeded.OBJECTS, rs.getLong("quota_limit"), rs.getLong("would_be"));
            default:
                throw new IllegalStateException("reserve_upload answered " + outcome);
        }
    }

    /**
     * Books an accepted object: its reservation, if still held, is released and its real size
     * counts as used. The object is booked as promoted to {@code currentKey} (the served key, or
     * the incoming key where acceptance marks the object in place).
     */
    public SettleOutcome accept(
            String bucket,
            String key,
            long realSize,
            String detectedType,
            String etag,
            String currentKey,
            Instant now) {
        requireSize(realSize);
        Instant at = micros(now);
        return settleAwaiting(bucket, key, upload -> {
            Held held = Held.by(upload);
            jdbc.sql("""
                            UPDATE accounts
                               SET bytes_reserved = bytes_reserved - :heldBytes,
                                   objects_reserved = objects_reserved - :heldObjects,
                                   bytes_used = bytes_used + :realSize,
                                   objects_used = objects_used + 1,
                                   updated_at = :now
                             WHERE user_id = :userId""")
                    .param("heldBytes", held.bytes())
                    .param("heldObjects", held.objects())
                    .param("realSize", realSize)
                    .param("now", timestamp(at))
                    .param("userId", upload.userId())
                    .update();
            Upload settled = jdbc.sql("""
                            UPDATE uploads
                               SET status = 'ACCEPTED', action = :action, real_size = :realSize,
                                   detected_type = :detectedType, etag = :etag, current_key = :currentKey,
                                   settled_at = :now, removed_at = NULL
                             WHERE upload_id = :uploadId
                            RETURNING *""")
                    .param("action", PROMOTED)
                    .param("realSize", realSize)
                    .param("detectedType", detectedType)
                    .param("etag", etag)
                    .param("currentKey", currentKey)
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .query(LedgerRows::upload)
                    .single();
            return new Settled(settled, upload.status(), false);
        });
    }

    /**
     * Books a rejected object: its reservation, if still held, is released and the user is charged
     * a violation, which blocks them once they reach {@link Quota#violationsBeforeBlock()}.
     *
     * @param realSize null if the object was not measured
     * @param action QUARANTINED or DELETED
     * @param currentKey the quarantine key, or null if the object was deleted
     */
    public SettleOutcome reject(
            String bucket,
            String key,
            List<String> reasons,
            Long realSize,
            String detectedType,
            String etag,
            String action,
            String currentKey,
            Quota quota,
            Instant now) {
        requireReasons(reasons);
        Objects.requireNonNull(quota, "quota");
        if (realSize != null) {
            requireSize(realSize);
        }
        Instant at = micros(now);
        return settleAwaiting(bucket, key, upload -> {
            Account account = chargeViolation(upload.userId(), Held.by(upload), reasons, quota, at);
            Upload settled = jdbc.sql("""
                            UPDATE uploads
                               SET status = 'REJECTED', reasons = :reasons, action = :action,
                                   real_size = :realSize, detected_type = :detectedType, etag = :etag,
                                   current_key = :currentKey, settled_at = :now
                             WHERE upload_id = :uploadId
                            RETURNING *""")
                    .param("reasons", textArray(reasons))
                    .param("action", action)
                    .param("realSize", realSize)
                    .param("detectedType", detectedType)
                    .param("etag", etag)
                    .param("currentKey", currentKey)
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .query(LedgerRows::upload)
                    .single();
            return new Settled(settled, upload.status(), blocksNow(account, quota));
        });
    }

    /**
     * Books an object that was written with no reservation (by something other than the signer) as
     * rejected, charged to the account whose user segment the key carries, if there is one.
     *
     * @param reasons should include {@link Reason#NO_RESERVATION}
     * @param quotaForUser the quota of the user the object is attributed to
     * @return {@link Recorded}, or {@link AlreadySettled} with the row that already has this key
     */
    public SettleOutcome recordUnreserved(
            String bucket,
            String key,
            Optional<String> userSegment,
            List<String> reasons,
            long realSize,
            String detectedType,
            String etag,
            String action,
            String currentKey,
            Function<String, Quota> quotaForUser,
            Instant now) {
        requireReasons(reasons);
        requireSize(realSize);
        Objects.requireNonNull(quotaForUser, "quotaForUser");
        Instant at = micros(now);
        return inTransaction(tx -> {
            String userId = userSegment
                    .flatMap(segment -> jdbc.sql("SELECT user_id FROM accounts WHERE user_segment = :segment")
                            .param("segment", segment)
                            .query(String.class)
                            .optional())
                    .orElse(null);
            Optional<Upload> inserted = jdbc.sql("""
                            INSERT INTO uploads (upload_id, user_id, bucket, object_key, current_key, status,
                                                 reasons, action, real_size, detected_type, etag,
                                                 created_at, settled_at)
                            VALUES (:uploadId, :userId, :bucket, :key, :currentKey, 'REJECTED',
                                    :reasons, :action, :realSize, :detectedType, :etag, :now, :now)
                            ON CONFLICT (bucket, object_key) DO NOTHING
                            RETURNING *""")
                    .param("uploadId", UUID.randomUUID())
                    .param("userId", userId)
                    .param("bucket", bucket)
                    .param("key", key)
                    .param("currentKey", currentKey)
                    .param("reasons", textArray(reasons))
                    .param("action", action)
                    .param("realSize", realSize)
                    .param("detectedType", detectedType)
                    .param("etag", etag)
                    .param("now", timestamp(at))
                    .query(LedgerRows::upload)
                    .optional();
            if (inserted.isEmpty()) {
                return new AlreadySettled(findByKey(bucket, key).orElseThrow());
            }
            if (userId == null) {
                return new Recorded(inserted.get(), false);
            }
            Quota quota = quotaForUser.apply(userId);
            Account account = chargeViolation(userId, Held.NOTHING, reasons, quota, at);
            return new Recorded(inserted.get(), blocksNow(account, quota));
        });
    }

    /**
     * Books an object written again, with a URL whose upload already has its verdict, before the
     * enforcer deletes it: it has no reservation, and its user is charged a violation (once per
     * write, however often its event is delivered).
     *
     * @param eventKey what tells one write from another on the same key: the event's sequencer
     * @return empty if no upload has this key (then it is an unreserved object, see
     *     {@link #recordUnreserved}); else whether this call booked it and whether it blocked the user
     */
    public Optional<ReplayBooking> recordReplay(
            String bucket,
            String key,
            String eventKey,
            long realSize,
            String etag,
            Function<String, Quota> quotaForUser,
            Instant now) {
        requireSize(realSize);
        Objects.requireNonNull(eventKey, "eventKey");
        Instant at = micros(now);
        List<String> reasons = List.of(Reason.NO_RESERVATION.name());
        return inTransaction(tx -> {
            Optional<Upload> original = findByKey(bucket, key);
            if (original.isEmpty()) {
                return Optional.empty();
            }
            String userId = original.get().userId();
            int inserted = jdbc.sql("""
                            INSERT INTO replayed_uploads (bucket, object_key, event_key, upload_id, user_id,
                                                          real_size, etag, reasons, action, at)
                            VALUES (:bucket, :key, :eventKey, :uploadId, :userId, :realSize, :etag, :reasons,
                                    'DELETED', :now)
                            ON CONFLICT DO NOTHING""")
                    .param("bucket", bucket)
                    .param("key", key)
                    .param("eventKey", eventKey)
                    .param("uploadId", original.get().uploadId())
                    .param("userId", userId)
                    .param("realSize", realSize)
                    .param("etag", etag)
                    .param("reasons", textArray(reasons))
                    .param("now", timestamp(at))
                    .update();
            if (inserted == 0 || userId == null) {
                return Optional.of(new ReplayBooking(original.get(), inserted == 1, false));
            }
            Quota quota = quotaForUser.apply(userId);
            Account account = chargeViolation(userId, Held.NOTHING, reasons, quota, at);
            return Optional.of(new ReplayBooking(original.get(), true, blocksNow(account, quota)));
        });
    }

    /**
     * Books that the object vanished before it could be inspected: a held reservation is released.
     * Also settles an expired one, whose reservation was released already.
     *
     * @return whether anything changed
     */
    public boolean markGone(String bucket, String key, Instant now) {
        Instant at = micros(now);
        return inTransaction(tx -> {
            Optional<Upload> found = lockByKey(bucket, key)
                    .filter(u -> u.status() == UploadStatus.RESERVED || u.status() == UploadStatus.EXPIRED);
            if (found.isEmpty()) {
                return false;
            }
            Upload upload = found.get();
            release(upload.userId(), Held.by(upload), at);
            jdbc.sql("""
                            UPDATE uploads SET status = 'GONE', current_key = NULL, settled_at = :now
                             WHERE upload_id = :uploadId""")
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .update();
            return true;
        });
    }

    /**
     * Books that the object at {@code currentKey} was deleted: an accepted one gives its bytes back,
     * a reserved one its reservation. Anything else (rejected, already removed, a key the object has
     * since moved away from) changes nothing.
     *
     * @return the upload as removed, or empty if nothing changed
     */
    public Optional<Upload> remove(String bucket, String currentKey, Instant now) {
        Instant at = micros(now);
        return inTransaction(tx -> {
            Optional<Upload> found = jdbc.sql("""
                            SELECT * FROM uploads
                             WHERE bucket = :bucket AND current_key = :currentKey
                               AND status IN ('ACCEPTED', 'RESERVED')
                             ORDER BY created_at DESC
                             LIMIT 1
                               FOR UPDATE""")
                    .param("bucket", bucket)
                    .param("currentKey", currentKey)
                    .query(LedgerRows::upload)
                    .optional();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Upload upload = found.get();
            if (upload.status() == UploadStatus.ACCEPTED) {
                jdbc.sql("""
                                UPDATE accounts
                                   SET bytes_used = bytes_used - :realSize, objects_used = objects_used - 1,
                                       updated_at = :now
                                 WHERE user_id = :userId""")
                        .param("realSize", upload.realSize())
                        .param("now", timestamp(at))
                        .param("userId", upload.userId())
                        .update();
            } else {
                release(upload.userId(), Held.by(upload), at);
            }
            return Optional.of(jdbc.sql("""
                            UPDATE uploads SET status = 'REMOVED', current_key = NULL, removed_at = :now
                             WHERE upload_id = :uploadId
                            RETURNING *""")
                    .param("now", timestamp(at))
                    .param("uploadId", upload.uploadId())
                    .query(LedgerRows::upload)
                    .single());
        });
    }

    /**
     * Gives back the reservations whose URL expired more than {@code grace} ago, at most
     * {@code batchSize} of them. Safe to run from several instances at once: each takes rows the
     * others have not locked.
     *
     * @return how many reservations were released
     */
    public int releaseExpired(Instant now, Duration grace, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be more than 0, was " + batchSize);
        }
        Instant at = micros(now);
        Instant cutoff = at.minus(grace);
        return inTransaction(tx -> {
            List<Held> perUser = jdbc.sql("""
                            WITH due AS (
                                SELECT upload_id FROM uploads
                                 WHERE status = 'RESERVED' AND expires_at < :cutoff
                                 ORDER BY expires_at
                                 LIMIT :batchSize
                                   FOR UPDATE SKIP LOCKED
                            ), expired AS (
                                UPDATE uploads u SET status = 'EXPIRED'
                                  FROM due
                                 WHERE u.upload_id = due.upload_id
                                RETURNING u.user_id, u.declared_size
                            )
                            SELECT user_id, sum(declared_size) AS bytes, count(*) AS objects
                              FROM expired
                             GROUP BY user_id
                             ORDER BY user_id""")
                    .param("cutoff", timestamp(cutoff))
                    .param("batchSize", batchSize)
                    .query((rs, row) -> new Held(rs.getString("user_id"), rs.getLong("bytes"), rs.getLong("objects")))
                    .list();
            if (perUser.isEmpty()) {
                return 0;
            }
            String[] users = perUser.stream().map(Held::userId).toArray(String[]::new);
            // an UPDATE locks in no particular order; this SELECT locks in user id order
            jdbc.sql("SELECT user_id FROM accounts WHERE user_id = ANY(:users) ORDER BY user_id FOR UPDATE")
                    .param("users", textArray(List.of(users)))
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
                    .param("users", textArray(List.of(users)))
                    .param(
                            "bytes",
                            new SqlArrayValue(
                                    "bigint", perUser.stream().map(Held::bytes).toArray()))
                    .param(
                            "objects",
                            new SqlArrayValue(
                                    "bigint",
                                    perUser.stream().map(Held::objects).toArray()))
                    .param("now", timestamp(at))
                    .update();
            return Math.toIntExact(perUser.stream().mapToLong(Held::objects).sum());
        });
    }

    public Optional<Upload> findUpload(UUID uploadId) {
        return jdbc.sql("SELECT * FROM uploads WHERE upload_id = :uploadId")
                .param("uploadId", uploadId)
                .query(LedgerRows::upload)
                .optional();
    }

    /** The upload first written to this incoming key. */
    public Optional<Upload> findByKey(String bucket, String key) {
        return jdbc.sql("SELECT * FROM uploads WHERE bucket = :bucket AND object_key = :key")
                .param("bucket", bucket)
                .param("key", key)
                .query(LedgerRows::upload)
                .optional();
    }

    /** The upload whose object is now at this key (the newest, should several claim it). */
    public Optional<Upload> findByCurrentKey(String bucket, String currentKey) {
        return jdbc.sql("""
                        SELECT * FROM uploads WHERE bucket = :bucket AND current_key = :currentKey
                         ORDER BY created_at DESC LIMIT 1""")
                .param("bucket", bucket)
                .param("currentKey", currentKey)
                .query(LedgerRows::upload)
                .optional();
    }

    public Optional<Account> account(String userId) {
        return jdbc.sql("SELECT * FROM accounts WHERE user_id = :userId")
                .param("userId", userId)
                .query(LedgerRows::account)
                .optional();
    }

    /**
     * A user's uploads, newest first.
     *
     * @param before only uploads created before this instant (the last one of the previous page),
     *               or null for the newest
     */
    public List<Upload> history(String userId, int limit, Instant before) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be more than 0, was " + limit);
        }
        String sql = before == null
                ? "SELECT * FROM uploads WHERE user_id = :userId ORDER BY created_at DESC, upload_id LIMIT :limit"
                : """
                  SELECT * FROM uploads WHERE user_id = :userId AND created_at < :before
                   ORDER BY created_at DESC, upload_id LIMIT :limit""";
        JdbcClient.StatementSpec statement =
                jdbc.sql(sql).param("userId", userId).param("limit", limit);
        if (before != null) {
            statement = statement.param("before", timestamp(micros(before)));
        }
        return statement.query(LedgerRows::upload).list();
    }

    /**
     * Runs {@code settle} in a transaction on the upload of this key, locked, if it still awaits
     * its verdict; a booked verdict is final, so a repeated call changes nothing.
     */
    private SettleOutcome settleAwaiting(String bucket, String key, Function<Upload, SettleOutcome> settle) {
        return inTransaction(tx -> {
            Optional<Upload> found = lockByKey(bucket, key);
            if (found.isEmpty()) {
                return new NotFound(bucket, key);
            }
            Upload upload = found.get();
            return upload.awaitsVerdict() ? settle.apply(upload) : new AlreadySettled(upload);
        });
    }

    private Optional<Upload> lockByKey(String bucket, String key) {
        return jdbc.sql("SELECT * FROM uploads WHERE bucket = :bucket AND object_key = :key FOR UPDATE")
                .param("bucket", bucket)
                .param("key", key)
                .query(LedgerRows::upload)
                .optional();
    }

    private void release(String userId, Held held, Instant now) {
        if (held.objects() == 0) {
            return;
        }
        jdbc.sql("""
                        UPDATE accounts
                           SET bytes_reserved = bytes_reserved - :heldBytes,
                               objects_reserved = objects_reserved - :heldObjects,
                               updated_at = :now
                         WHERE user_id = :userId""")
                .param("heldBytes", held.bytes())
                .param("heldObjects", held.objects())
                .param("now", timestamp(now))
                .param("userId", userId)
                .update();
    }

    /**
     * Releases what the upload held and counts a violation. The count is not reset by a block, so
     * once a user has reached the threshold every further violation blocks them again.
     */
    private Account chargeViolation(String userId, Held held, List<String> reasons, Quota quota, Instant now) {
        return jdbc.sql("""
                        UPDATE accounts
                           SET bytes_reserved = bytes_reserved - :heldBytes,
                               objects_reserved = objects_reserved - :heldObjects,
                               violations = violations + 1,
                               blocked_until = CASE WHEN violations + 1 >= :threshold
                                                    THEN GREATEST(blocked_until, :blockedUntil)
                                                    ELSE blocked_until END,
                               blocked_reason = CASE WHEN violations + 1 >= :threshold
                                                     THEN (violations + 1) || ' violations, the last: '
                                                          || CAST(:reasons AS text)
                                                     ELSE blocked_reason END,
                               updated_at = :now
                         WHERE user_id = :userId
                        RETURNING *""")
                .param("heldBytes", held.bytes())
                .param("heldObjects", held.objects())
                .param("threshold", quota.violationsBeforeBlock())
                .param("blockedUntil", timestamp(now.plus(quota.blockDuration())))
                .param("reasons", String.join(", ", reasons))
                .param("now", timestamp(now))
                .param("userId", userId)
                .query(LedgerRows::account)
                .single();
    }

    private static boolean blocksNow(Account account, Quota quota) {
        return account.violations() >= quota.violationsBeforeBlock();
    }

    private <T> T inTransaction(TransactionCallback<T> work) {
        return Objects.requireNonNull(transactions.execute(work));
    }

    private static SqlArrayValue textArray(List<String> values) {
        return new SqlArrayValue("text", values.toArray());
    }

    private static Duration retryAfter(Duration untilWindowEnds) {
        // Retry-After is in whole seconds: round up, so a client that waits that long gets in
        long seconds = (untilWindowEnds.toNanos() + 999_999_999L) / 1_000_000_000L;
        Duration rounded = Duration.ofSeconds(seconds);
        return rounded.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : rounded;
    }

    private static Instant micros(Instant instant) {
        return Objects.requireNonNull(instant, "now").truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("realSize must not be negative, was " + size);
        }
    }

    private static void requireReasons(List<String> reasons) {
        if (reasons == null || reasons.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one reason");
        }
    }

    /** What an upload holds against its user's reservations, or the sum for a user. */
    private record Held(String userId, long bytes, long objects) {

        static final Held NOTHING = new Held(null, 0, 0);

        static Held by(Upload upload) {
            return upload.status() == UploadStatus.RESERVED
                    ? new Held(upload.userId(), upload.declaredSize(), 1)
                    : NOTHING;
        }
    }
}
