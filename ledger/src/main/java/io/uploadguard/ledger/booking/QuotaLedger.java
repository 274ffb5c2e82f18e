package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadWithAccount;
import io.uploadguard.ledger.booking.SettleOutcome.AlreadySettled;
import io.uploadguard.ledger.booking.SettleOutcome.Recorded;
import io.uploadguard.ledger.notifications.BackendNotice;
import io.uploadguard.ledger.notifications.Outbox;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What the signer and the enforcer book, in one place: reservations, verdicts, removals and the
 * reads they need. The work is done by one class per job in this package; every account counter is
 * changed by {@link AccountCounters}.
 *
 * <p>Every operation is one transaction and may be repeated: SQS delivers at least once and the
 * enforcer may crash between two steps, so a second call with the same arguments changes nothing.
 * A booking that changes something writes its notification to the outbox in its transaction; one
 * that changes nothing writes none.
 *
 * <p>Locks are always taken upload row first, account row second (reserve only inserts a new
 * upload), and several accounts in user id order, so concurrent calls cannot deadlock.
 *
 * <p>Times are cut to microseconds, PostgreSQL's precision, so what is read back equals what was
 * written.
 */
public class QuotaLedger {

    private final ReservationBatches reservations;
    private final Settlements settlements;
    private final UnreservedBookings unreserved;
    private final Removals removals;
    private final ExpiredReservations expired;
    private final ScanFindings scans;
    private final LedgerQueries queries;

    /** Each call is its own transaction, run by {@code transactionManager} over {@code jdbc}'s database. */
    public QuotaLedger(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this(new LedgerDatabase(jdbc, transactionManager), new AccountCounters(jdbc));
    }

    private QuotaLedger(LedgerDatabase db, AccountCounters counters) {
        Books books = new Books(db, new LedgerQueries(db), counters, new Outbox(db));
        this.queries = books.queries();
        this.reservations = new ReservationBatches(new Reservations(db), new BatchReservations(db));
        this.settlements = new Settlements(books);
        this.unreserved = new UnreservedBookings(books);
        this.removals = new Removals(books);
        this.expired = new ExpiredReservations(books);
        this.scans = new ScanFindings(books);
    }

    /**
     * Holds the declared size against the user's quota, unless the user is blocked, over the rate
     * limit or would go over quota. A refusal changes nothing; repeating a granted request returns
     * the reservation already made. Concurrent calls are booked together ({@link ReservationBatches}),
     * each checked as if it were alone, one after the other per user.
     *
     * @throws IllegalArgumentException if the upload id is already another user's
     */
    public ReserveOutcome reserve(ReservationRequest request, Quota quota, Instant now) {
        return reservations.reserve(request, quota, now);
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
        VerdictColumns verdict = new VerdictColumns(UploadAction.PROMOTED, realSize, detectedType, etag, currentKey);
        return settlements.accept(bucket, key, verdict, now);
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
            UploadAction action,
            String currentKey,
            Quota quota,
            Instant now) {
        return reject(
                bucket, key, reasons, new VerdictColumns(action, realSize, detectedType, etag, currentKey), quota, now);
    }

    /** {@link #reject(String, String, List, Long, String, String, UploadAction, String, Quota, Instant)}. */
    public SettleOutcome reject(
            String bucket, String key, List<String> reasons, VerdictColumns verdict, Quota quota, Instant now) {
        return settlements.reject(bucket, key, reasons, verdict, quota, now);
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
            UploadAction action,
            String currentKey,
            Function<String, Quota> quotaForUser,
            Instant now) {
        VerdictColumns verdict = new VerdictColumns(action, realSize, detectedType, etag, currentKey);
        return unreserved.recordUnreserved(bucket, key, userSegment, reasons, verdict, quotaForUser, now);
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
        // what the enforcer does with a replayed object is fixed: it deletes it
        VerdictColumns written = new VerdictColumns(UploadAction.DELETED, realSize, null, etag, null);
        return unreserved.recordReplay(bucket, key, eventKey, written, quotaForUser, now);
    }

    /**
     * Books that the object vanished before it could be inspected: a held reservation is released.
     * Also settles an expired one, whose reservation was released already.
     *
     * @return whether anything changed
     */
    public boolean markGone(String bucket, String key, Instant now) {
        return removals.markGone(bucket, key, now);
    }

    /**
     * Books that the object at {@code currentKey} was deleted: an accepted one gives its bytes back,
     * a reserved one its reservation. Anything else (rejected, already removed, a key the object has
     * since moved away from) changes nothing.
     *
     * @return the upload as removed, or empty if nothing changed
     */
    public Optional<Upload> remove(String bucket, String currentKey, Instant now) {
        return removals.remove(bucket, currentKey, now);
    }

    /**
     * Notes that the object at this key waits for the malware scanner (its message is left for
     * redelivery). Changes no counter and no status. Returns since when it waits (the first call's
     * time), or empty if no upload at the key awaits its verdict.
     */
    public Optional<Instant> markScanPending(String bucket, String key, Instant now) {
        return scans.markScanPending(bucket, key, now);
    }

    /** Records the scanner's names for what it found in the object at this key; false if there is no row. */
    public boolean recordScanSignatures(String bucket, String key, List<String> signatures) {
        return scans.recordScanSignatures(bucket, key, signatures);
    }

    /** Since when this upload's object waits for an unreachable malware scanner; empty if it never waited. */
    public Optional<Instant> scanPendingSince(UUID uploadId) {
        return scans.scanPendingSince(uploadId);
    }

    /** The scanner's names for what it found in this upload; empty if it found nothing or never scanned it. */
    public List<String> scanSignatures(UUID uploadId) {
        return scans.scanSignatures(uploadId);
    }

    /**
     * Gives back the reservations whose URL expired more than {@code grace} ago, at most
     * {@code batchSize} of them. Safe to run from several instances at once: each takes rows the
     * others have not locked.
     *
     * @return how many reservations were released
     */
    public int releaseExpired(Instant now, Duration grace, int batchSize) {
        return expired.releaseExpired(now, grace, batchSize);
    }

    /** Whether the backend has been told about this upload, over every notification channel. */
    public BackendNotice backendNotice(UUID uploadId) {
        return queries.backendNotice(uploadId);
    }

    public Optional<Upload> findUpload(UUID uploadId) {
        return queries.findUpload(uploadId);
    }

    /** The upload first written to this incoming key. */
    public Optional<Upload> findByKey(String bucket, String key) {
        return queries.findByKey(bucket, key);
    }

    /** {@link #findByKey} and its user's account, read in one statement. */
    public Optional<UploadWithAccount> findByKeyWithAccount(String bucket, String key) {
        return queries.findByKeyWithAccount(bucket, key);
    }

    /** The upload whose object is now at this key (the newest, should several claim it). */
    public Optional<Upload> findByCurrentKey(String bucket, String currentKey) {
        return queries.findByCurrentKey(bucket, currentKey);
    }

    public Optional<Account> account(String userId) {
        return queries.account(userId);
    }

    /**
     * A user's uploads, newest first.
     *
     * @param before only uploads created before this instant (the last one of the previous page),
     *               or null for the newest
     */
    public List<Upload> history(String userId, int limit, Instant before) {
        return queries.history(userId, limit, before);
    }
}
