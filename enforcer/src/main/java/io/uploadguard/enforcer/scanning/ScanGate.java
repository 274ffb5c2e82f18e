package io.uploadguard.enforcer.scanning;

import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.ledger.policy.ScanRequirement;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.security.LogSafe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scan step of one object's verdict: after size and type passed, before the object is acted on.
 * It fails closed: where the profile requires a scan, only a clean scan lets the verdict stand. An
 * object the scanner cannot reach is held (the message comes back) until {@code pending-horizon}
 * after its upload, then rejected as SCAN_FAILED; one beyond the scanner's limits is SCAN_FAILED at
 * once, since trying again would not change that.
 */
public class ScanGate {

    private static final Logger log = LoggerFactory.getLogger(ScanGate.class);

    private final MalwareScanner scanner;
    private final ScanMetrics metrics;
    private final QuotaLedger ledger;
    private final Duration pendingHorizon;
    private final Duration retryBackoff;
    private final ScanRequirement defaultRequirement;
    private final Clock clock;

    ScanGate(
            MalwareScanner scanner,
            ScanMetrics metrics,
            QuotaLedger ledger,
            Duration pendingHorizon,
            Duration retryBackoff,
            Clock clock) {
        this.scanner = scanner;
        this.metrics = metrics;
        this.ledger = ledger;
        this.pendingHorizon = pendingHorizon;
        this.retryBackoff = retryBackoff;
        this.defaultRequirement = scanner instanceof NoScanner ? ScanRequirement.OFF : ScanRequirement.REQUIRED;
        this.clock = clock;
    }

    /**
     * @param otherwiseAccepted whether every other check passed; an object rejected anyway is not
     *     scanned (it is quarantined or deleted either way)
     * @param uploadedAt the S3 event's time, from which the hold is measured; when null, from the
     *     first hold the ledger recorded
     * @throws ScanPendingException when the object is held for another attempt
     */
    public ScanOutcome check(
            ScanTarget target, Optional<UploadProfile> profile, boolean otherwiseAccepted, Instant uploadedAt) {
        ScanRequirement requirement = profile.map(UploadProfile::scan).orElse(null) == null
                ? defaultRequirement
                : profile.get().scan();
        if (!otherwiseAccepted || requirement == ScanRequirement.OFF) {
            return ScanOutcome.proceed();
        }
        long started = System.nanoTime();
        ScanResult result = scanner.scan(target);
        metrics.scanned(result, target.size(), System.nanoTime() - started);
        if (result instanceof ScanResult.Infected infected) {
            log.warn(
                    "malware key={} signatures={}",
                    LogSafe.escape(target.key()),
                    LogSafe.escape(String.join(",", infected.signatures())));
            // before the verdict is booked: a crash in between only scans again on redelivery
            ledger.recordScanSignatures(target.bucket(), target.key(), infected.signatures());
            return new ScanOutcome(
                    Reason.MALWARE,
                    infected.signatures(),
                    Map.of(ScanOutcome.META_SIGNATURES, headerSafe(String.join(",", infected.signatures()))));
        }
        if (result instanceof ScanResult.CouldNotScan failed) {
            return couldNotScan(target, requirement, failed, uploadedAt);
        }
        return ScanOutcome.proceed();
    }

    private ScanOutcome couldNotScan(
            ScanTarget target, ScanRequirement requirement, ScanResult.CouldNotScan failed, Instant uploadedAt) {
        if (requirement == ScanRequirement.OPTIONAL) {
            metrics.acceptedUnscanned();
            log.warn(
                    "accepted without a scan (profile scan: optional) key={}: {}",
                    LogSafe.escape(target.key()),
                    LogSafe.escape(failed.why()));
            return ScanOutcome.proceed();
        }
        Instant now = clock.instant();
        Instant firstHeld = failed.retryable()
                ? ledger.markScanPending(target.bucket(), target.key(), now).orElse(now)
                : now;
        Instant since = uploadedAt == null ? firstHeld : uploadedAt;
        boolean pastHorizon = now.isAfter(since.plus(pendingHorizon));
        if (failed.retryable() && !pastHorizon) {
            metrics.held();
            throw new ScanPendingException("scan required and not possible now (" + failed.why() + "); held until "
                    + since.plus(pendingHorizon));
        }
        log.warn(
                "scan failed key={} retryable={} pastHorizon={}: {}",
                LogSafe.escape(target.key()),
                failed.retryable(),
                pastHorizon,
                LogSafe.escape(failed.why()));
        return new ScanOutcome(Reason.SCAN_FAILED, List.of(), Map.of(ScanOutcome.META_SCAN, headerSafe(failed.why())));
    }

    /**
     * How long a held object's message should stay invisible after its {@code receiveCount}-th
     * receive: the back-off doubles each time, within SQS's 12-hour limit.
     */
    public int visibilitySecondsAfter(int receiveCount) {
        int doublings = Math.min(Math.max(receiveCount, 1) - 1, 20);
        long seconds = retryBackoff.toSeconds() << doublings;
        return (int) Math.max(1, Math.min(seconds, 12 * 3600 - 1));
    }

    /** S3 user metadata travels in HTTP headers: ASCII only. */
    private static String headerSafe(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
