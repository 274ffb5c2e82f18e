package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.admin.AdminArguments.requireText;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.booking.AccountCounters;
import io.uploadguard.ledger.booking.LedgerQueries;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.notifications.Outbox;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What operators do to the books: block and unblock users, release or purge quarantined objects,
 * and read what they need to decide. The work is done by one class per job in this package. Each
 * change is one transaction that also writes its {@code audit_log} row, so no change is ever booked
 * without who made it and why.
 *
 * <p>Locks follow {@link QuotaLedger}'s order (upload row first, account row second), so admin
 * actions and enforcement cannot deadlock each other.
 *
 * <p>Refusals write nothing, audit included: they changed nothing (metrics count them).
 */
public class AdminLedger {

    private final AccountBlocks blocks;
    private final QuarantineReleases releases;
    private final QuarantinePurges purges;
    private final AdminListings listings;

    /**
     * Each change runs in a transaction of its own, together with its audit row.
     *
     * @param transactionManager over the same database as {@code jdbc}
     */
    public AdminLedger(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        LedgerDatabase db = new LedgerDatabase(jdbc, transactionManager);
        AuditedBooks books = new AuditedBooks(
                db, new LedgerQueries(db), new AccountCounters(jdbc), new AuditLog(db), new Outbox(db));
        this.blocks = new AccountBlocks(books);
        this.releases = new QuarantineReleases(books);
        this.purges = new QuarantinePurges(books);
        this.listings = new AdminListings(db);
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
        return blocks.block(userId, duration, new Operator(actor, reason, now));
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
        return blocks.unblock(userId, new Operator(actor, reason, now));
    }

    /**
     * Books a quarantined object as accepted, promoted to {@code servedKey}: its real size and one
     * object count as used by its owner. Refused if that would take the owner's used plus reserved
     * over {@code quota} (reserved counts, as it does when the signer reserves: those uploads will
     * count once accepted), unless {@code force}.
     *
     * <p>Call it once the object is at {@code servedKey}. Repeating a release answers
     * {@link ReleaseOutcome.AlreadyReleased} and changes nothing.
     */
    public ReleaseOutcome releaseQuarantined(
            UUID uploadId, String servedKey, boolean force, Quota quota, String actor, String reason, Instant now) {
        requireReleaseArguments(uploadId, servedKey, quota);
        return releases.release(uploadId, servedKey, force, quota, new Operator(actor, reason, now));
    }

    /**
     * What {@link #releaseQuarantined} would answer now, changing nothing: the same code in a
     * transaction that is rolled back. Lets the caller refuse before it moves the object.
     */
    public ReleaseOutcome previewRelease(UUID uploadId, String servedKey, boolean force, Quota quota, Instant now) {
        requireReleaseArguments(uploadId, servedKey, quota);
        return releases.preview(uploadId, servedKey, force, quota, new Operator("preview", "preview", now));
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
        return purges.purge(uploadId, new Operator(actor, reason, now));
    }

    /**
     * The objects in quarantine now, newest verdict first.
     *
     * @param reason only objects rejected for this {@link Reason} name
     * @param cursor null or empty for the first page, else a previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException for a cursor this listing did not give out
     */
    public Page<Upload> quarantined(Optional<String> userId, Optional<String> reason, int limit, String cursor) {
        return listings.quarantined(userId, reason, limit, cursor);
    }

    /**
     * A user's uploads, newest first, every status.
     *
     * @param cursor null or empty for the first page, else a previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException for a cursor this listing did not give out
     */
    public Page<Upload> uploads(String userId, int limit, String cursor) {
        return listings.uploads(userId, limit, cursor);
    }

    /** What operators did to a user and to their objects, newest first. */
    public List<AuditEntry> auditFor(String userId, int limit) {
        return listings.auditFor(userId, limit);
    }

    /** What operators did to one object, oldest first. */
    public List<AuditEntry> auditForUpload(UUID uploadId) {
        return listings.auditForUpload(uploadId);
    }

    private static void requireReleaseArguments(UUID uploadId, String servedKey, Quota quota) {
        Objects.requireNonNull(uploadId, "uploadId");
        requireText("servedKey", servedKey);
        Objects.requireNonNull(quota, "quota");
    }
}
