package io.uploadguard.enforcer.admin;

import io.uploadguard.enforcer.enforcement.EnforcementHooks;
import io.uploadguard.enforcer.enforcement.ObjectStore;
import io.uploadguard.enforcer.enforcement.VerdictMetadata;
import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.admin.AdminAction;
import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.admin.Page;
import io.uploadguard.ledger.admin.PurgeOutcome;
import io.uploadguard.ledger.admin.ReleaseOutcome;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.ConditionalOnServerMode;
import io.uploadguard.security.LogSafe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.ObjectMapper;

/**
 * What the admin API does, in the books and in S3. Every action is safe to repeat: a repeat after
 * a crash finishes what the first call started, and a repeat after success changes nothing.
 *
 * <ul>
 *   <li>Release moves the object first (copy to the served key, then delete the quarantine copy) and
 *       books it last, so the books never count an object that is not served. A crash in between
 *       leaves the object served and still booked as quarantined; repeating the call finds it at the
 *       served key and books it. The quota is checked before the move (a refusal touches nothing)
 *       and again, under lock, when booking; if that second check refuses (the user's usage grew
 *       in between), the move is undone.</li>
 *   <li>Purge books first and deletes second: no object is deleted without a recorded reason. A
 *       crash in between leaves a purged row whose object still exists; repeating the call deletes
 *       it.</li>
 * </ul>
 */
@Component
@ConditionalOnServerMode
class AdminOperations {

    private static final Logger log = LoggerFactory.getLogger(AdminOperations.class);

    private final QuotaLedger ledger;
    private final AdminLedger admin;
    private final QuotaPolicy quotas;
    private final ObjectStore objects;
    private final AdminMetrics metrics;
    private final EnforcementHooks hooks;
    private final ObjectMapper json;
    private final Clock clock;

    AdminOperations(
            AdminBooks books,
            ObjectStore objects,
            AdminMetrics metrics,
            EnforcementHooks hooks,
            ObjectMapper json,
            Clock clock) {
        this.ledger = books.ledger();
        this.admin = books.admin();
        this.quotas = books.quotas();
        this.objects = objects;
        this.metrics = metrics;
        this.hooks = hooks;
        this.json = json;
        this.clock = clock;
    }

    AdminViews.User user(String userId, int limit, String cursor, int auditLimit) {
        Account account = ledger.account(userId).orElseThrow(() -> AdminRefusals.unknownUser(userId));
        Page<Upload> uploads = page(() -> admin.uploads(userId, limit, cursor));
        List<AdminViews.AuditEntry> audit = admin.auditFor(userId, auditLimit).stream()
                .map(e -> AdminViews.AuditEntry.of(e, json))
                .toList();
        return new AdminViews.User(
                userId,
                AdminViews.Usage.of(account),
                AdminViews.Limits.of(quotas.forUser(userId)),
                account.violations(),
                account.isBlocked(clock.instant()),
                account.blockedUntil(),
                account.blockedReason(),
                uploads.items().stream()
                        .map(u -> AdminViews.UploadEntry.of(u, signatures(u)))
                        .toList(),
                uploads.nextCursor(),
                audit);
    }

    /** Only a MALWARE verdict has signatures: the other rows cost no query. */
    private List<String> signatures(Upload upload) {
        return upload.reasons().contains(Reason.MALWARE.name()) ? ledger.scanSignatures(upload.uploadId()) : List.of();
    }

    AdminViews.Standing block(String userId, Duration duration, String reason, String actor) {
        Instant now = clock.instant();
        Account blocked = counted(AdminAction.BLOCK, userId, admin.block(userId, duration, reason, actor, now));
        log.info(
                "admin block user={} until={} by={} reason={}",
                LogSafe.escape(userId),
                blocked.blockedUntil(),
                LogSafe.escape(actor),
                LogSafe.escape(reason));
        return AdminViews.Standing.of(blocked, now);
    }

    /** The actor comes before the reason, as in the ledger's {@code unblock}. */
    AdminViews.Standing unblock(String userId, String actor, String reason) {
        Instant now = clock.instant();
        Account unblocked = counted(AdminAction.UNBLOCK, userId, admin.unblock(userId, actor, reason, now));
        log.info(
                "admin unblock user={} by={} reason={}",
                LogSafe.escape(userId),
                LogSafe.escape(actor),
                LogSafe.escape(reason));
        return AdminViews.Standing.of(unblocked, now);
    }

    /** Counts a block or unblock as done, or as refused when the user has no account. */
    private Account counted(AdminAction action, String userId, Optional<Account> account) {
        if (account.isEmpty()) {
            metrics.refused(action);
            throw AdminRefusals.unknownUser(userId);
        }
        metrics.done(action);
        return account.get();
    }

    AdminViews.QuarantineList quarantine(Optional<String> userId, Optional<String> reason, int limit, String cursor) {
        Page<Upload> page = page(() -> admin.quarantined(userId, reason, limit, cursor));
        String bucket = objects.properties().quarantineBucketOrDefault();
        return new AdminViews.QuarantineList(
                page.items().stream()
                        .map(u -> AdminViews.Quarantined.of(u, bucket, signatures(u)))
                        .toList(),
                page.nextCursor());
    }

    AdminViews.Released release(UUID uploadId, boolean force, String reason, String actor) {
        Instant now = clock.instant();
        Optional<Upload> found = ledger.findUpload(uploadId);
        if (found.isEmpty()) {
            throw refuse(AdminAction.RELEASE, AdminRefusals.unknownUpload(uploadId));
        }
        Upload upload = found.get();
        if (!objects.layout().isIncoming(upload.objectKey())) {
            // only objects that came in through the incoming area have a served key
            throw refuse(AdminAction.RELEASE, AdminRefusals.notQuarantined(upload));
        }
        String bucket = upload.bucket();
        String served = objects.layout().servedKey(upload.objectKey());
        String quarantineBucket = objects.properties().quarantineBucketOrDefault();
        // the books say where a quarantined object is; once released, only the layout does
        String quarantineKey =
                upload.currentKey() != null && !upload.currentKey().equals(served)
                        ? upload.currentKey()
                        : objects.layout().quarantineKey(upload.objectKey());
        var quota = quotas.forUser(upload.userId());

        ReleaseOutcome preview = admin.previewRelease(uploadId, served, force, quota, now);
        if (preview instanceof ReleaseOutcome.AlreadyReleased already) {
            // booked means the move was done; a stray quarantine copy would only be left by a move
            // undone halfway, and serves no one
            objects.mover().delete(quarantineBucket, quarantineKey);
            metrics.done(AdminAction.RELEASE);
            return released(already.upload(), false, true);
        }
        if (!(preview instanceof ReleaseOutcome.Released)) {
            throw refuse(AdminAction.RELEASE, AdminRefusals.releaseRefusal(preview));
        }

        Optional<HeadObjectResponse> inQuarantine = objects.inspector().head(quarantineBucket, quarantineKey);
        if (inQuarantine.isPresent()) {
            HeadObjectResponse head = inQuarantine.get();
            Map<String, String> metadata = new HashMap<>(head.metadata());
            // served objects carry no rejection reasons: the enforcer's recovery reads them as a verdict
            metadata.remove(VerdictMetadata.REASONS);
            boolean moved = objects.mover()
                    .move(
                            quarantineBucket,
                            quarantineKey,
                            head.contentLength(),
                            bucket,
                            served,
                            head.contentType(),
                            head.contentDisposition(),
                            metadata,
                            Map.of(VerdictMetadata.VERDICT, "accepted"));
            if (!moved && objects.inspector().head(bucket, served).isEmpty()) {
                // gone between the HEAD and the copy, and not by a concurrent release
                throw refuse(
                        AdminAction.RELEASE, AdminRefusals.objectMissing(uploadId, quarantineBucket, quarantineKey));
            }
        } else if (objects.inspector().head(bucket, served).isEmpty()) {
            throw refuse(AdminAction.RELEASE, AdminRefusals.objectMissing(uploadId, quarantineBucket, quarantineKey));
        }
        // else: an earlier call moved it and did not get to book it; booking now finishes that call
        hooks.afterAct(bucket, served);

        ReleaseOutcome booked = admin.releaseQuarantined(uploadId, served, force, quota, actor, reason, now);
        if (booked instanceof ReleaseOutcome.Released released) {
            metrics.done(AdminAction.RELEASE);
            log.info(
                    "admin release upload={} user={} size={} forced={} by={} reason={}",
                    uploadId,
                    LogSafe.escape(upload.userId()),
                    upload.realSize(),
                    released.forced(),
                    LogSafe.escape(actor),
                    LogSafe.escape(reason));
            return new AdminViews.Released(
                    uploadId,
                    upload.userId(),
                    released.upload().status().name(),
                    released.upload().action(),
                    bucket,
                    served,
                    released.upload().realSize(),
                    released.forced(),
                    false,
                    AdminViews.Usage.of(released.account()));
        }
        if (booked instanceof ReleaseOutcome.AlreadyReleased already) {
            metrics.done(AdminAction.RELEASE);
            return released(already.upload(), false, true);
        }
        undoMove(upload, bucket, served, quarantineBucket, quarantineKey);
        throw refuse(AdminAction.RELEASE, AdminRefusals.releaseRefusal(booked));
    }

    AdminViews.Purged purge(UUID uploadId, String reason, String actor) {
        Instant now = clock.instant();
        PurgeOutcome outcome = admin.purgeQuarantined(uploadId, actor, reason, now);
        String quarantineBucket = objects.properties().quarantineBucketOrDefault();
        if (outcome instanceof PurgeOutcome.Purged purged) {
            // the same fault point as enforcement's, here between booking and acting
            hooks.afterAct(quarantineBucket, purged.quarantineKey());
            objects.mover().delete(quarantineBucket, purged.quarantineKey());
            metrics.done(AdminAction.PURGE);
            log.info(
                    "admin purge upload={} user={} key={} by={} reason={}",
                    uploadId,
                    LogSafe.escape(purged.upload().userId()),
                    LogSafe.escape(purged.quarantineKey()),
                    LogSafe.escape(actor),
                    LogSafe.escape(reason));
            return AdminViews.Purged.of(purged.upload(), false);
        }
        if (outcome instanceof PurgeOutcome.AlreadyPurged already) {
            // a crash may have come between the booking and the delete: finish it (deleting a gone key succeeds)
            if (objects.layout().isIncoming(already.upload().objectKey())) {
                objects.mover()
                        .delete(
                                quarantineBucket,
                                objects.layout().quarantineKey(already.upload().objectKey()));
            }
            metrics.done(AdminAction.PURGE);
            return AdminViews.Purged.of(already.upload(), true);
        }
        if (outcome instanceof PurgeOutcome.NotPurgeable notQuarantined) {
            throw refuse(AdminAction.PURGE, AdminRefusals.notQuarantined(notQuarantined.upload()));
        }
        throw refuse(AdminAction.PURGE, AdminRefusals.unknownUpload(uploadId));
    }

    /**
     * The booking refused after the object was moved: put it back where the books say it is. If it
     * was purged meanwhile, the purge's reason is booked and the served copy has to go.
     */
    private void undoMove(Upload upload, String bucket, String served, String quarantineBucket, String quarantineKey) {
        Optional<Upload> current = ledger.findUpload(upload.uploadId());
        if (current.isPresent() && current.get().action() == UploadAction.PURGED) {
            objects.mover().delete(bucket, served);
            return;
        }
        Optional<HeadObjectResponse> head = objects.inspector().head(bucket, served);
        if (head.isEmpty()) {
            return;
        }
        Map<String, String> metadata = new HashMap<>(head.get().metadata());
        metadata.put(VerdictMetadata.VERDICT, "rejected");
        metadata.put(VerdictMetadata.REASONS, String.join(",", upload.reasons()));
        objects.mover()
                .move(
                        bucket,
                        served,
                        head.get().contentLength(),
                        quarantineBucket,
                        quarantineKey,
                        head.get().contentType(),
                        head.get().contentDisposition(),
                        metadata,
                        Map.of());
        log.info("admin release upload={} refused at booking; object moved back to quarantine", upload.uploadId());
    }

    private AdminViews.Released released(Upload upload, boolean forced, boolean repeated) {
        Account account = ledger.account(upload.userId()).orElseThrow();
        return new AdminViews.Released(
                upload.uploadId(),
                upload.userId(),
                upload.status().name(),
                upload.action(),
                upload.bucket(),
                upload.currentKey(),
                upload.realSize() == null ? 0 : upload.realSize(),
                forced,
                repeated,
                AdminViews.Usage.of(account));
    }

    private ApiException refuse(AdminAction action, ApiException refusal) {
        metrics.refused(action);
        return refusal;
    }

    /** A cursor the ledger did not give out is the caller's mistake. */
    private static Page<Upload> page(java.util.function.Supplier<Page<Upload>> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.malformed("cursor is not one this listing gave out; start again without it");
        }
    }
}
