package io.uploadguard.enforcer;

import io.uploadguard.enforcer.scanning.ScanGate;
import io.uploadguard.enforcer.scanning.ScanOutcome;
import io.uploadguard.enforcer.scanning.ScanTarget;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.SettleOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.ledger.policy.UploadProfiles;
import io.uploadguard.ledger.policy.ViolationAction;
import io.uploadguard.security.LogSafe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * One event, handled to the end: inspect, decide, act, book. Every step is safe to repeat, so an
 * event delivered twice, out of order, or again after a crash between any two steps ends in the
 * same books and the same bucket as one clean delivery:
 * <ul>
 *   <li>a booked verdict is final: a repeated event only finishes what booking promised (a DELETE
 *       verdict is booked before the delete, since its object leaves no copy to recover from);</li>
 *   <li>an object that is gone from the incoming area is looked for where a previous attempt would
 *       have moved it (the served and quarantine keys are derived from the incoming key), and that
 *       attempt's verdict is booked from the metadata it wrote there;</li>
 *   <li>otherwise it is inspected afresh.</li>
 * </ul>
 */
@Component
class Enforcement {

    private static final Logger log = LoggerFactory.getLogger(Enforcement.class);
    static final String META_VERDICT = "uploadguard-verdict";
    static final String META_REASONS = "uploadguard-reasons";
    static final String META_DETECTED = "uploadguard-detected-type";
    static final String META_USER = "user-id";

    /** What became of one event, for metrics and logs. */
    enum Outcome {
        ACCEPTED,
        REJECTED,
        DUPLICATE,
        GONE,
        REMOVED,
        IGNORED
    }

    private final QuotaLedger ledger;
    private final UploadProfiles profiles;
    private final QuotaPolicy quotas;
    private final KeyLayout layout;
    private final ObjectInspector inspector;
    private final ObjectMover mover;
    private final VerdictRules rules;
    private final EnforcerProperties properties;
    private final EnforcerMetrics metrics;
    private final EnforcementHooks hooks;
    private final ScanGate scans;
    private final Clock clock;

    /** Twelve collaborators: the steps of one verdict (inspect, scan, decide, act, book) and their settings. */
    Enforcement(
            QuotaLedger ledger,
            UploadProfiles profiles,
            QuotaPolicy quotas,
            KeyLayout layout,
            ObjectInspector inspector,
            ObjectMover mover,
            VerdictRules rules,
            EnforcerProperties properties,
            EnforcerMetrics metrics,
            EnforcementHooks hooks,
            ScanGate scans,
            Clock clock) {
        this.ledger = ledger;
        this.profiles = profiles;
        this.quotas = quotas;
        this.layout = layout;
        this.inspector = inspector;
        this.mover = mover;
        this.rules = rules;
        this.properties = properties;
        this.metrics = metrics;
        this.hooks = hooks;
        this.scans = scans;
        this.clock = clock;
    }

    Outcome handle(ObjectEvent event) {
        if (event instanceof ObjectEvent.Created created) {
            metrics.eventLag(created.eventTime());
            return created(created);
        }
        if (event instanceof ObjectEvent.Removed removed) {
            metrics.eventLag(removed.eventTime());
            return removed(removed.bucket(), removed.key());
        }
        return Outcome.IGNORED;
    }

    private Outcome created(ObjectEvent.Created event) {
        String bucket = event.bucket();
        String key = event.key();
        // the enforcer's own copies land outside the incoming area; never enforce them again
        if (!inIncomingArea(bucket, key)) {
            log.info(
                    "event ignored: not under the incoming prefix of the upload bucket bucket={} key={}",
                    LogSafe.escape(bucket),
                    LogSafe.escape(key));
            return Outcome.IGNORED;
        }
        Optional<Upload> row = ledger.findByKey(bucket, key);
        if (row.isPresent() && !row.get().awaitsVerdict()) {
            return settledAlready(row.get(), event);
        }
        long started = System.nanoTime();
        Optional<Inspection> inspection = inspector.inspect(bucket, key);
        if (inspection.isEmpty()) {
            return recoverMovedOrGone(bucket, key, row);
        }
        metrics.inspected(System.nanoTime() - started);
        return decideActBook(inspection.get(), row, event.eventTime());
    }

    private Outcome decideActBook(Inspection inspection, Optional<Upload> row, Instant uploadedAt) {
        Optional<UploadProfile> profile = row.flatMap(u -> profiles.profile(u.profile()));
        var account = row.flatMap(u -> ledger.account(u.userId()));
        var quota = quotas.forUser(row.map(Upload::userId).orElse(null));
        Verdict verdict = rules.decide(inspection, row, profile, account, quota, clock.instant());
        // --- scan hook (issue 18): scan what passed every other check; may hold the message
        // (ScanPendingException) or turn the verdict into MALWARE / SCAN_FAILED
        ScanOutcome scan = scans.check(
                new ScanTarget(inspection.bucket(), inspection.key(), inspection.realSize(), inspection.eTag()),
                profile,
                verdict.accepted(),
                uploadedAt);
        if (scan.rejectionReason().isPresent()) {
            verdict = Verdict.reject(List.of(scan.rejection()));
        }
        // --- end of scan hook
        Instant now = clock.instant();
        String bucket = inspection.bucket();
        String key = inspection.key();

        if (verdict.accepted()) {
            String served = layout.servedKey(key);
            if (!mover.move(
                    bucket,
                    key,
                    bucket,
                    served,
                    inspection.storedContentType(),
                    inspection.metadata(),
                    Map.of(META_VERDICT, "accepted", META_DETECTED, inspection.detectedType()))) {
                return recoverMovedOrGone(bucket, key, row);
            }
            hooks.afterAct(bucket, key);
            SettleOutcome booked = ledger.accept(
                    bucket, key, inspection.realSize(), inspection.detectedType(), inspection.eTag(), served, now);
            countIfBooked(booked, verdict, inspection.realSize());
            log.info(
                    "accepted key={} user={} size={} type={} booked={}",
                    LogSafe.escape(key),
                    LogSafe.escape(row.map(Upload::userId).orElse("-")),
                    inspection.realSize(),
                    inspection.detectedType(),
                    booked.changed());
            return Outcome.ACCEPTED;
        }

        ViolationAction action = profile.map(UploadProfile::onViolation)
                .orElse(properties.enforcer().unreservedAction());
        String userId = row.map(Upload::userId).orElse(null);
        SettleOutcome booked;
        if (action == ViolationAction.DELETE) {
            // nothing would be left to learn the verdict from after the delete: book it first
            booked = bookRejection(inspection, row, verdict, UploadAction.DELETED, null, now);
            hooks.afterAct(bucket, key);
            mover.delete(bucket, key);
        } else {
            String quarantineBucket = properties.quarantineBucketOrDefault();
            String quarantineKey = layout.quarantineKey(key);
            if (!mover.move(
                    bucket,
                    key,
                    quarantineBucket,
                    quarantineKey,
                    inspection.storedContentType(),
                    inspection.metadata(),
                    withScan(
                            scan,
                            Map.of(
                                    META_VERDICT,
                                    "rejected",
                                    META_REASONS,
                                    String.join(",", verdict.reasonNames()),
                                    META_DETECTED,
                                    inspection.detectedType(),
                                    META_USER,
                                    userId == null ? "unknown" : URLEncoder.encode(userId, StandardCharsets.UTF_8))))) {
                return recoverMovedOrGone(bucket, key, row);
            }
            hooks.afterAct(bucket, key);
            booked = bookRejection(inspection, row, verdict, UploadAction.QUARANTINED, quarantineKey, now);
        }
        countIfBooked(booked, verdict, inspection.realSize());
        log.info(
                "rejected key={} user={} reasons={} action={} size={} detected={} declared={} booked={}",
                LogSafe.escape(key),
                userId == null ? "-" : LogSafe.escape(userId),
                verdict.reasonNames(),
                action,
                inspection.realSize(),
                inspection.detectedType(),
                row.map(Upload::declaredType).orElse("-"),
                booked.changed());
        return Outcome.REJECTED;
    }

    /** scan hook (issue 18): the scan's findings (signature names) go with the quarantined copy. */
    private static Map<String, String> withScan(ScanOutcome scan, Map<String, String> metadata) {
        var all = new HashMap<>(metadata);
        all.putAll(scan.metadata());
        return all;
    }

    private SettleOutcome bookRejection(
            Inspection inspection,
            Optional<Upload> row,
            Verdict verdict,
            UploadAction action,
            String currentKey,
            Instant now) {
        if (row.isPresent()) {
            return ledger.reject(
                    inspection.bucket(),
                    inspection.key(),
                    verdict.reasonNames(),
                    inspection.realSize(),
                    inspection.detectedType(),
                    inspection.eTag(),
                    action,
                    currentKey,
                    quotas.forUser(row.get().userId()),
                    now);
        }
        return ledger.recordUnreserved(
                inspection.bucket(),
                inspection.key(),
                layout.userSegmentOf(inspection.key()),
                verdict.reasonNames(),
                inspection.realSize(),
                inspection.detectedType(),
                inspection.eTag(),
                action,
                currentKey,
                quotas::forUser,
                now);
    }

    /**
     * The incoming object is not there. Either an earlier attempt moved it and crashed before
     * booking (its copy says what it decided), or it was deleted before anyone looked.
     */
    private Outcome recoverMovedOrGone(String bucket, String key, Optional<Upload> row) {
        Instant now = clock.instant();
        String served = layout.servedKey(key);
        Optional<HeadObjectResponse> promoted = inspector.head(bucket, served);
        if (promoted.isPresent() && row.isPresent()) {
            HeadObjectResponse head = promoted.get();
            SettleOutcome booked = ledger.accept(
                    bucket,
                    key,
                    head.contentLength(),
                    head.metadata().getOrDefault(META_DETECTED, "application/octet-stream"),
                    head.eTag(),
                    served,
                    now);
            countIfBooked(booked, Verdict.accept(), head.contentLength());
            log.info("accepted key={} (recovered: moved by an earlier attempt that did not book)", LogSafe.escape(key));
            return Outcome.ACCEPTED;
        }
        String quarantineKey = layout.quarantineKey(key);
        Optional<HeadObjectResponse> quarantined =
                inspector.head(properties.quarantineBucketOrDefault(), quarantineKey);
        if (quarantined.isPresent()) {
            HeadObjectResponse head = quarantined.get();
            List<Reason> reasons = Arrays.stream(
                            head.metadata().getOrDefault(META_REASONS, "").split(","))
                    .filter(s -> !s.isBlank())
                    .map(Reason::valueOf)
                    .toList();
            if (reasons.isEmpty()) {
                // only a copy we did not write lacks them; leave the message for a person (dead-letter queue)
                throw new IllegalStateException("quarantined copy " + quarantineKey + " carries no verdict reasons");
            }
            var inspection = new Inspection(
                    bucket,
                    key,
                    head.contentLength(),
                    head.contentType(),
                    head.metadata(),
                    head.eTag(),
                    head.metadata().getOrDefault(META_DETECTED, "application/octet-stream"));
            SettleOutcome booked = bookRejection(
                    inspection, row, Verdict.reject(reasons), UploadAction.QUARANTINED, quarantineKey, now);
            countIfBooked(booked, Verdict.reject(reasons), head.contentLength());
            log.info(
                    "rejected key={} reasons={} (recovered: quarantined by an earlier attempt that did not book)",
                    LogSafe.escape(key),
                    reasons);
            return Outcome.REJECTED;
        }
        if (row.isPresent() && ledger.markGone(bucket, key, now)) {
            log.info("gone key={}: deleted before it could be inspected; reservation released", LogSafe.escape(key));
        }
        return Outcome.GONE;
    }

    /**
     * The upload has its verdict. Usually this is the same event again, and at most a booked
     * DELETE is left to do. But an object under the key now is a new one if the verdict moved the
     * first away: S3 lets the same presigned URL write again until it expires, since If-None-Match
     * only guards a key that exists. That object has no reservation: it is booked and deleted.
     */
    private Outcome settledAlready(Upload upload, ObjectEvent.Created event) {
        String bucket = upload.bucket();
        String key = upload.objectKey();
        Optional<HeadObjectResponse> head = inspector.head(bucket, key);
        if (head.isEmpty()) {
            return Outcome.DUPLICATE;
        }
        boolean bookedDelete = upload.status() == UploadStatus.REJECTED && upload.action() == UploadAction.DELETED;
        if (bookedDelete && Objects.equals(head.get().eTag(), upload.etag())) {
            // the object the booked DELETE was about: a crash came between booking and deleting
            mover.delete(bucket, key);
            return Outcome.DUPLICATE;
        }
        String eventKey = event.sequencer() != null
                ? event.sequencer()
                : String.valueOf(head.get().eTag());
        var booking = ledger.recordReplay(
                        bucket,
                        key,
                        eventKey,
                        head.get().contentLength(),
                        head.get().eTag(),
                        quotas::forUser,
                        clock.instant())
                .orElseThrow();
        hooks.afterAct(bucket, key);
        mover.delete(bucket, key);
        if (booking.booked()) {
            metrics.verdict(
                    Verdict.reject(List.of(Reason.NO_RESERVATION)), head.get().contentLength(), booking.userBlocked());
        }
        log.info(
                "rejected key={} user={} reasons=[NO_RESERVATION] action=DELETE size={}: written again with the "
                        + "URL of upload {}, which already has its verdict ({}) booked={}",
                LogSafe.escape(key),
                upload.userId() == null ? "-" : LogSafe.escape(upload.userId()),
                head.get().contentLength(),
                upload.uploadId(),
                upload.status(),
                booking.booked());
        return Outcome.REJECTED;
    }

    private Outcome removed(String bucket, String key) {
        if (inIncomingArea(bucket, key)) {
            Optional<Upload> row = ledger.findByKey(bucket, key);
            if (row.isPresent() && row.get().awaitsVerdict()) {
                // Usually the enforcer's own delete after moving the object, sometimes by an attempt
                // that died before booking (its ObjectCreated comes back only after the visibility
                // timeout), sometimes the uploader deleting it before inspection: where the object
                // is now tells which, so settle it now rather than book a removal that is not one.
                if (inspector.head(bucket, key).isPresent()) {
                    log.info(
                            "removal of key={} ignored: the object is there again; its creation settles it",
                            LogSafe.escape(key));
                    return Outcome.IGNORED;
                }
                return recoverMovedOrGone(bucket, key, row);
            }
            // a settled upload's incoming key is nobody's current key: nothing to give back
            return Outcome.IGNORED;
        }
        Optional<Upload> removed = ledger.remove(bucket, key, clock.instant());
        removed.ifPresent(u ->
                log.info("removed key={} user={}: bytes given back", LogSafe.escape(key), LogSafe.escape(u.userId())));
        return removed.isPresent() ? Outcome.REMOVED : Outcome.IGNORED;
    }

    /** Under the incoming prefix of the upload bucket: where uploads land and nothing is served. */
    private boolean inIncomingArea(String bucket, String key) {
        return bucket.equals(properties.bucket()) && layout.isIncoming(key);
    }

    /**
     * Counts a verdict once, by the attempt that booked it: the same object may be settled by its
     * creation and, concurrently, by the removal event of the enforcer's own delete.
     */
    private void countIfBooked(SettleOutcome booked, Verdict verdict, long bytes) {
        if (booked.changed()) {
            metrics.verdict(verdict, bytes, userBlocked(booked));
        }
    }

    private static boolean userBlocked(SettleOutcome booked) {
        if (booked instanceof SettleOutcome.Settled s) {
            return s.userBlocked();
        }
        if (booked instanceof SettleOutcome.Recorded r) {
            return r.userBlocked();
        }
        return false;
    }
}
