package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.enforcer.inspection.Inspection;
import io.uploadguard.enforcer.inspection.ObjectInspector;
import io.uploadguard.enforcer.intake.ObjectEvent;
import io.uploadguard.enforcer.metrics.EnforcerMetrics;
import io.uploadguard.enforcer.scanning.ScanGate;
import io.uploadguard.enforcer.scanning.ScanOutcome;
import io.uploadguard.enforcer.scanning.ScanTarget;
import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadWithAccount;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.SettleOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.ledger.policy.UploadProfiles;
import io.uploadguard.ledger.policy.ViolationAction;
import io.uploadguard.security.LogSafe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

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

    /** A key rewritten this often while we look at it is left to SQS's redelivery. */
    private static final int MAX_INSPECTIONS = 3;

    /** What became of one event, for metrics and logs. */
    enum Outcome {
        ACCEPTED,
        REJECTED,
        DUPLICATE,
        GONE,
        REMOVED,
        IGNORED
    }

    private final EnforcementBooks books;
    private final EarlierAttempts earlier;
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

    /**
     * Eight dependencies: the books and the S3 side come grouped; the rules that decide, the malware
     * scan, the recovery of earlier attempts, the metrics, the test hooks and the clock are each a
     * concern of their own (one per step of a verdict: inspect, scan, decide, act, book).
     */
    Enforcement(
            EnforcementBooks books,
            ObjectStore objects,
            VerdictRules rules,
            EarlierAttempts earlier,
            EnforcerMetrics metrics,
            EnforcementHooks hooks,
            ScanGate scans,
            Clock clock) {
        this.books = books;
        this.earlier = earlier;
        this.ledger = books.ledger();
        this.profiles = books.profiles();
        this.quotas = books.quotas();
        this.layout = objects.layout();
        this.inspector = objects.inspector();
        this.mover = objects.mover();
        this.rules = rules;
        this.properties = objects.properties();
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
        // the account too, in the same round trip: read before the inspection instead of after it, which
        // the verdict cannot tell apart, since no lock is held from that read to the booking either way
        Optional<UploadWithAccount> found = ledger.findByKeyWithAccount(bucket, key);
        Optional<Upload> row = found.map(UploadWithAccount::upload);
        if (row.isPresent() && !row.get().awaitsVerdict()) {
            return earlier.settledAlready(row.get(), event);
        }
        Optional<Account> account = found.flatMap(UploadWithAccount::account);
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            Optional<Inspection> inspection = inspector.inspect(bucket, key);
            if (inspection.isEmpty()) {
                return earlier.recover(bucket, key, row);
            }
            metrics.inspected(System.nanoTime() - started);
            hooks.afterInspect(bucket, key);
            try {
                return decideActBook(inspection.get(), row, account, event.eventTime());
            } catch (ObjectChangedException e) {
                // written again between the inspection and the copy: the verdict was about other bytes
                if (attempt == MAX_INSPECTIONS) {
                    throw e;
                }
                log.info(
                        "key={} changed after inspection (ETag {}); inspecting it again",
                        LogSafe.escape(key),
                        inspection.get().eTag());
            }
        }
    }

    private Outcome decideActBook(
            Inspection inspection, Optional<Upload> row, Optional<Account> account, Instant uploadedAt) {
        Optional<UploadProfile> profile = row.flatMap(u -> profiles.profile(u.profile()));
        var quota = quotas.forUser(row.map(Upload::userId).orElse(null));
        Verdict verdict = rules.decide(inspection, row, profile, account, quota, clock.instant());
        // the scan runs on what passed every other check; it may hold the message (ScanPendingException:
        // the scanner cannot answer yet) or turn the verdict into MALWARE / SCAN_FAILED
        ScanOutcome scan = scans.check(
                new ScanTarget(inspection.bucket(), inspection.key(), inspection.realSize(), inspection.eTag()),
                profile,
                verdict.accepted(),
                uploadedAt);
        if (scan.rejectionReason().isPresent()) {
            verdict = Verdict.reject(List.of(scan.rejection()));
        }
        Instant now = clock.instant();
        String bucket = inspection.bucket();
        String key = inspection.key();
        String disposition = ServedDisposition.of(row, profile);

        if (verdict.accepted()) {
            String served = layout.servedKey(key);
            var record = Map.of(
                    VerdictMetadata.VERDICT, "accepted", VerdictMetadata.DETECTED_TYPE, inspection.detectedType());
            if (!mover.moveInspected(inspection, bucket, served, disposition, record)) {
                return earlier.recover(bucket, key, row);
            }
            hooks.afterAct(bucket, key);
            SettleOutcome booked = ledger.accept(
                    bucket, key, inspection.realSize(), inspection.detectedType(), inspection.eTag(), served, now);
            books.settled().booked(bucket, key, booked);
            books.countIfBooked(booked, verdict, inspection.realSize());
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
            booked = books.reject(inspection, row, verdict, UploadAction.DELETED, null, now);
            hooks.afterAct(bucket, key);
            mover.delete(bucket, key);
        } else {
            String quarantineBucket = properties.quarantineBucketOrDefault();
            String quarantineKey = layout.quarantineKey(key);
            var record = new HashMap<>(scan.metadata());
            record.putAll(Map.of(
                    VerdictMetadata.VERDICT,
                    "rejected",
                    VerdictMetadata.REASONS,
                    String.join(",", verdict.reasonNames()),
                    VerdictMetadata.DETECTED_TYPE,
                    inspection.detectedType(),
                    VerdictMetadata.USER,
                    userId == null ? "unknown" : URLEncoder.encode(userId, StandardCharsets.UTF_8)));
            // the disposition is kept for a release, whose copy carries it to the served key
            if (!mover.moveInspected(inspection, quarantineBucket, quarantineKey, disposition, record)) {
                return earlier.recover(bucket, key, row);
            }
            hooks.afterAct(bucket, key);
            booked = books.reject(inspection, row, verdict, UploadAction.QUARANTINED, quarantineKey, now);
        }
        books.settled().booked(bucket, key, booked);
        books.countIfBooked(booked, verdict, inspection.realSize());
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

    private Outcome removed(String bucket, String key) {
        if (inIncomingArea(bucket, key)) {
            if (books.settled().takeSettled(bucket, key)) {
                // the removal of this process's own delete after booking: the ledger would say settled
                return Outcome.IGNORED;
            }
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
                return earlier.recover(bucket, key, row);
            }
            // a settled upload's incoming key is nobody's current key: nothing to give back
            return Outcome.IGNORED;
        }
        if (inspector.head(bucket, key).isPresent()) {
            // a stale, redriven or forged removal: the bytes are still served, so nothing is given back
            log.warn(
                    "removal of key={} in bucket={} ignored: the object is still there",
                    LogSafe.escape(key),
                    LogSafe.escape(bucket));
            return Outcome.IGNORED;
        }
        Optional<Upload> removed = ledger.remove(bucket, key, clock.instant());
        removed.ifPresent(u -> log.info("removed key={} user={}: bytes given back", LogSafe.escape(key), u.userId()));
        return removed.isPresent() ? Outcome.REMOVED : Outcome.IGNORED;
    }

    /** Under the incoming prefix of the upload bucket: where uploads land and nothing is served. */
    private boolean inIncomingArea(String bucket, String key) {
        return bucket.equals(properties.bucket()) && layout.isIncoming(key);
    }
}
