package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.enforcement.Enforcement.Outcome;
import io.uploadguard.enforcer.inspection.Inspection;
import io.uploadguard.enforcer.intake.ObjectEvent;
import io.uploadguard.enforcer.metrics.EnforcerMetrics;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.SettleOutcome;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.security.LogSafe;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What an earlier attempt at the same object left behind: a copy it made and did not book, a
 * booked DELETE it did not carry out, or a verdict already booked while the key was written again.
 * The keys a verdict moves an object to derive from its incoming key, so where the object is now
 * tells what was decided.
 */
@Component
class EarlierAttempts {

    // the same logger as before the split, so the log lines keep their source
    private static final Logger log = LoggerFactory.getLogger(Enforcement.class);

    private final EnforcementBooks books;
    private final QuotaLedger ledger;
    private final QuotaPolicy quotas;
    private final ObjectStore objects;
    private final EnforcerMetrics metrics;
    private final EnforcementHooks hooks;
    private final Clock clock;

    EarlierAttempts(
            EnforcementBooks books, ObjectStore objects, EnforcerMetrics metrics, EnforcementHooks hooks, Clock clock) {
        this.books = books;
        this.ledger = books.ledger();
        this.quotas = books.quotas();
        this.objects = objects;
        this.metrics = metrics;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * The incoming object is not there. Either an earlier attempt moved it and crashed before
     * booking (its copy says what it decided), or it was deleted before anyone looked.
     */
    Outcome recover(String bucket, String key, Optional<Upload> row) {
        Instant now = clock.instant();
        String served = objects.layout().servedKey(key);
        Optional<HeadObjectResponse> promoted = objects.inspector().head(bucket, served);
        if (promoted.isPresent() && row.isPresent()) {
            HeadObjectResponse head = promoted.get();
            SettleOutcome booked = ledger.accept(
                    bucket,
                    key,
                    head.contentLength(),
                    head.metadata().getOrDefault(VerdictMetadata.DETECTED_TYPE, "application/octet-stream"),
                    head.eTag(),
                    served,
                    now);
            books.countIfBooked(booked, Verdict.accept(), head.contentLength());
            log.info("accepted key={} (recovered: moved by an earlier attempt that did not book)", LogSafe.escape(key));
            return Outcome.ACCEPTED;
        }
        String quarantineKey = objects.layout().quarantineKey(key);
        Optional<HeadObjectResponse> quarantined =
                objects.inspector().head(objects.properties().quarantineBucketOrDefault(), quarantineKey);
        if (quarantined.isPresent()) {
            HeadObjectResponse head = quarantined.get();
            List<Reason> reasons = Arrays.stream(head.metadata()
                            .getOrDefault(VerdictMetadata.REASONS, "")
                            .split(","))
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
                    head.metadata().getOrDefault(VerdictMetadata.DETECTED_TYPE, "application/octet-stream"));
            SettleOutcome booked = books.reject(
                    inspection, row, Verdict.reject(reasons), UploadAction.QUARANTINED, quarantineKey, now);
            books.countIfBooked(booked, Verdict.reject(reasons), head.contentLength());
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
    Outcome settledAlready(Upload upload, ObjectEvent.Created event) {
        String bucket = upload.bucket();
        String key = upload.objectKey();
        Optional<HeadObjectResponse> head = objects.inspector().head(bucket, key);
        if (head.isEmpty()) {
            return Outcome.DUPLICATE;
        }
        boolean bookedDelete = upload.status() == UploadStatus.REJECTED && upload.action() == UploadAction.DELETED;
        if (bookedDelete && Objects.equals(head.get().eTag(), upload.etag())) {
            // the object the booked DELETE was about: a crash came between booking and deleting
            objects.mover().delete(bucket, key);
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
        objects.mover().delete(bucket, key);
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
}
