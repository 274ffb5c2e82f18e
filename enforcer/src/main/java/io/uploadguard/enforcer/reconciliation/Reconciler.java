package io.uploadguard.enforcer.reconciliation;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.enforcer.metrics.EnforcerMetrics;
import io.uploadguard.ledger.BooksReconciliation;
import io.uploadguard.ledger.KeyLayout;
import io.uploadguard.ledger.UploadStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            KeyLayout layout,
            EnforcerProperties properties,
            EnforcerMetrics metrics,
            Clock clock) {
        this.s3 = s3;
        this.books = new BooksReconciliation(jdbc, transactions);
        this.layout = layout;
        this.properties = properties;
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

    /** Sets drifted account counters to the sums of their rows, then checks again. */
    Report repair(Duration settleGrace) {
        List<BooksReconciliation.AccountDrift> repaired = books.syncStats();
        return report(settleGrace, repaired);
    }

    private Report report(Duration settleGrace, List<BooksReconciliation.AccountDrift> repaired) {
        Instant now = clock.instant();
        String bucket = properties.bucket();
        String quarantineBucket = properties.quarantineBucketOrDefault();

        List<S3Object> incoming = list(bucket, layout.incomingPrefix());
        List<String> unsettled = new ArrayList<>();
        for (S3Object object : incoming) {
            if (object.lastModified().isBefore(now.minus(settleGrace))) {
                unsettled.add(object.key());
            }
        }

        Map<String, UploadStatus> servedRows = byKey(books.currentObjectsUnder(bucket, layout.servedPrefix()));
        List<String> servedObjects =
                list(bucket, layout.servedPrefix()).stream().map(S3Object::key).toList();
        List<String> servedOrphans = servedObjects.stream()
                .filter(k -> servedRows.get(k) != UploadStatus.ACCEPTED)
                .toList();
        List<String> acceptedMissing = servedRows.entrySet().stream()
                .filter(e -> e.getValue() == UploadStatus.ACCEPTED && !servedObjects.contains(e.getKey()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();

        Map<String, UploadStatus> quarantineRows =
                byKey(books.currentObjectsUnder(quarantineBucket, layout.quarantinePrefix()));
        List<String> quarantineObjects = list(quarantineBucket, layout.quarantinePrefix()).stream()
                .map(S3Object::key)
                .toList();
        List<String> quarantineOrphans = quarantineObjects.stream()
                .filter(k -> quarantineRows.get(k) != UploadStatus.REJECTED)
                .toList();
        List<String> quarantineMissing = quarantineRows.entrySet().stream()
                .filter(e -> e.getValue() == UploadStatus.REJECTED && !quarantineObjects.contains(e.getKey()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();

        return new Report(
                now,
                incoming.size(),
                cap(unsettled),
                cap(servedOrphans),
                cap(acceptedMissing),
                cap(quarantineOrphans),
                cap(quarantineMissing),
                books.drift(),
                metrics.deadLetterDepth(),
                repaired);
    }

    private List<S3Object> list(String bucket, String prefix) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                .contents()
                .forEach(objects::add);
        return objects;
    }

    private static Map<String, UploadStatus> byKey(List<BooksReconciliation.CurrentObject> rows) {
        Map<String, UploadStatus> map = new HashMap<>();
        rows.forEach(r -> map.put(r.currentKey(), r.status()));
        return map;
    }

    private static List<String> cap(List<String> keys) {
        return keys.size() <= MAX_LISTED ? keys : keys.subList(0, MAX_LISTED);
    }
}
