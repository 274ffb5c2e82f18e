package io.uploadguard.enforcer.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Reconciliation over 100,000 ledger rows and a listing of several pages: the sorted merge of both,
 * a page at a time, finds exactly the drift. The rows are written by SQL and only every 40th has an
 * object, so the test stays well under a minute.
 */
@Tag("integration")
class ReconciliationAtScaleTest extends EnforcerIntegrationTest {

    private static final int ROWS = 100_000;
    private static final int EVERY = 40;
    private static final int ORPHANS = 30;

    @Autowired
    Reconciler reconciler;

    @Test
    void aHundredThousandRowsAgainstAManyPageListingGiveExactlyTheDrift() throws Exception {
        // '!' sorts before every user segment, so these keys come first in both orders and in the capped lists
        String base = layout.servedPrefix() + "!merge-" + UUID.randomUUID() + "/";
        List<String> objects = new ArrayList<>();
        IntStream.range(0, ROWS).filter(i -> i % EVERY == 0).forEach(i -> objects.add(key(base, i)));
        List<String> orphans = IntStream.range(0, ORPHANS)
                .mapToObj(i -> key(base, i * 3001) + "-orphan")
                .toList();
        objects.addAll(orphans);
        pauseListenerAndPurge();
        try {
            jdbc.sql("""
                    INSERT INTO uploads (upload_id, bucket, object_key, current_key, status, action, real_size, settled_at)
                    SELECT gen_random_uuid(), ?, ? || lpad(i::text, 6, '0') || '.in', ? || lpad(i::text, 6, '0'),
                           'ACCEPTED', 'PROMOTED', 1, now()
                    FROM generate_series(0, ? - 1) AS i""").params(bucket(), base, base, ROWS).update();
            write(objects);

            Reconciler.Report report = reconciler.check(Duration.ofMinutes(5));

            List<String> expectedMissing = IntStream.range(0, ROWS)
                    .filter(i -> i % EVERY != 0)
                    .limit(100)
                    .mapToObj(i -> key(base, i))
                    .toList();
            assertThat(report.acceptedWithoutServedObject())
                    .as("the first 100 rows without an object, in key order")
                    .isEqualTo(expectedMissing);
            assertThat(report.servedWithoutAcceptedUpload().stream()
                            .filter(k -> k.startsWith(base))
                            .toList())
                    .as("exactly the objects without a row, in key order")
                    .isEqualTo(orphans.stream().sorted().toList());
            assertThat(report.consistent()).isFalse();
        } finally {
            jdbc.sql("DELETE FROM uploads WHERE bucket = ? AND object_key LIKE ?")
                    .params(bucket(), base + "%")
                    .update();
            for (int from = 0; from < objects.size(); from += 1000) {
                List<ObjectIdentifier> batch = objects.subList(from, Math.min(objects.size(), from + 1000)).stream()
                        .map(k -> ObjectIdentifier.builder().key(k).build())
                        .toList();
                s3.deleteObjects(r -> r.bucket(bucket()).delete(d -> d.objects(batch)));
            }
            resumeListener();
        }
    }

    private static String key(String base, int i) {
        return base + String.format("%06d", i);
    }

    private void write(List<String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (String key : keys) {
                writes.add(
                        pool.submit(() -> s3.putObject(r -> r.bucket(bucket()).key(key), RequestBody.fromString("x"))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
