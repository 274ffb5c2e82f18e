package io.uploadguard.enforcer.reconciliation;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.enforcer.enforcement.ObjectStore;
import io.uploadguard.enforcer.metrics.EnforcerMetrics;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.reconciliation.BooksReconciliation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checks the invariants that every scenario must leave true, by comparing the bucket listing with
 * the ledger, and on request repairs the account counters from the upload rows:
 * <ol>
 *   <li>every object that reached the incoming area ends settled: nothing older than the grace
 *       period waits in {@code incoming/}; every object under {@code served/} is an accepted
 *       upload and every accepted upload's object is there; the same for the quarantine;</li>
 *   <li>every account's used and reserved counters equal the sums of its upload rows;</li>
 *   <li>no message is lost: it was processed or it is in the dead-letter queue (whose depth the
 *       report gives, for a person to look at).</li>
 * </ol>
 */
@Component
public class Reconciler {

    /** What a check found. {@code consistent()} is the one line an operator or a test looks at. */
    public record Report(
            Instant at,
            int incomingObjects,
            List<String> unsettledIncoming,
            List<String> servedWithoutAcceptedUpload,
            List<String> acceptedWithoutServedObject,
            List<String> quarantinedWithoutUpload,
            List<String> quarantineUploadWithoutObject,
            List<BooksReconciliation.AccountDrift> accountDrift,
            long deadLetterMessages,
            List<BooksReconciliation.AccountDrift> repaired) {

        @com.fasterxml.jackson.annotation.JsonProperty("consistent")
        public boolean consistent() {
            return unsettledIncoming.isEmpty()
                    && servedWithoutAcceptedUpload.isEmpty()
                    && acceptedWithoutServedObject.isEmpty()
                    && quarantinedWithoutUpload.isEmpty()
                    && quarantineUploadWithoutObject.isEmpty()
                    && accountDrift.isEmpty();
        }
    }

    private static final int MAX_LISTED = 100;
    /** Keys per S3 listing page and per ledger read: what reconciliation holds in memory at once. */
    private static final int PAGE = 1000;

    private final S3Client s3;
    private final BooksReconciliation books;
    private final KeyLayout layout;
    private final EnforcerProperties properties;
    private final EnforcerMetrics metrics;
    private final Clock clock;

    Reconciler(
            S3Client s3,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            ObjectStore objects,
            EnforcerMetrics metrics,
            Clock clock) {
        this.s3 = s3;
        this.books = new BooksReconciliation(jdbc, transactions);
        this.layout = objects.layout();
        this.properties = objects.properties();
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param settleGrace how old an incoming object may be before it counts as unsettled (events in
     *     flight are not drift)
     */
    public Report check(Duration settleGrace) {
        return report(settleGrace, List.of());
    }

    /** Sets drifted account counters to the sums of their rows (audited as {@code actor}), then checks again. */
    Report repair(Duration settleGrace, String actor) {
        List<BooksReconciliation.AccountDrift> repaired = books.syncStats(actor, clock.instant());
        return report(settleGrace, repaired);
    }

    private Report report(Duration settleGrace, List<BooksReconciliation.AccountDrift> repaired) {
        Instant now = clock.instant();
        String bucket = properties.bucket();
        String quarantineBucket = properties.quarantineBucketOrDefault();

        int incoming = 0;
        List<String> unsettled = new ArrayList<>();
        for (Iterator<S3Object> objects = listing(bucket, layout.incomingPrefix()); objects.hasNext(); ) {
            S3Object object = objects.next();
            incoming++;
            if (object.lastModified().isBefore(now.minus(settleGrace)) && unsettled.size() < MAX_LISTED) {
                unsettled.add(object.key());
            }
        }
        KeyMerge.Drift served = merge(bucket, layout.servedPrefix(), UploadStatus.ACCEPTED);
        KeyMerge.Drift quarantine = merge(quarantineBucket, layout.quarantinePrefix(), UploadStatus.REJECTED);
        return new Report(
                now,
                incoming,
                unsettled,
                served.objectsWithoutRow(),
                served.rowsWithoutObject(),
                quarantine.objectsWithoutRow(),
                quarantine.rowsWithoutObject(),
                books.drift(),
                metrics.deadLetterDepth(),
                repaired);
    }

    private KeyMerge.Drift merge(String bucket, String prefix, UploadStatus expected) {
        Iterator<String> keys =
                s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).maxKeys(PAGE)).contents().stream()
                        .map(S3Object::key)
                        .iterator();
        return KeyMerge.compare(keys, rows(bucket, prefix), expected, MAX_LISTED);
    }

    /** The listing, fetched a page at a time as it is walked (S3 lists in key order). */
    private Iterator<S3Object> listing(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).maxKeys(PAGE))
                .contents()
                .iterator();
    }

    /** The ledger's rows for the prefix, read a page at a time in the listing's order. */
    private Iterator<BooksReconciliation.CurrentObject> rows(String bucket, String prefix) {
        return Stream.iterate(
                        books.currentObjectsUnder(bucket, prefix, null, null, PAGE), page -> !page.isEmpty(), page -> {
                            if (page.size() < PAGE) {
                                return List.of();
                            }
                            var last = page.get(page.size() - 1);
                            return books.currentObjectsUnder(bucket, prefix, last.currentKey(), last.uploadId(), PAGE);
                        })
                .flatMap(List::stream)
                .iterator();
    }
}
