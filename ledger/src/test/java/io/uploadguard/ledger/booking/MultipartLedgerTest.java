package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.ROOMY;
import static io.uploadguard.ledger.LedgerTests.counters;
import static io.uploadguard.ledger.LedgerTests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Counters;
import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.MultipartUpload.AbortReason;
import io.uploadguard.ledger.MultipartUpload.State;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class MultipartLedgerTest {

    private static final Duration GRACE = Duration.ofMinutes(1);
    private static final long SIZE = 20_000;

    private static QuotaLedger ledger;
    private static MultipartLedger multipart;

    private final Instant now = LedgerTests.now();

    @BeforeAll
    static void connect(QuotaLedger quotaLedger, DataSource dataSource) {
        ledger = quotaLedger;
        multipart = new MultipartLedger(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Test
    void anOpenedUploadIsKeptWithItsPlanAndARepeatedOpenKeepsTheFirst() {
        Upload upload = reserve(LedgerTests.newUser("mp-open"), now.plus(Duration.ofHours(1)));

        MultipartUpload opened = multipart.open(upload.uploadId(), "s3-one", 8_000, 3, "SHA256", now);
        MultipartUpload again = multipart.open(upload.uploadId(), "s3-two", 9_000, 4, null, now.plusSeconds(1));

        assertThat(opened.state()).isEqualTo(State.OPEN);
        assertThat(opened.key()).isEqualTo(upload.objectKey());
        assertThat(opened.bucket()).isEqualTo(LedgerTests.BUCKET);
        assertThat(again).isEqualTo(opened);
        assertThat(again.s3UploadId()).isEqualTo("s3-one");
        assertThat(again.partCount()).isEqualTo(3);
        assertThat(again.checksumAlgorithm()).isEqualTo("SHA256");
        assertThat(multipart.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void anAbortGivesTheWholeReservationBackOnceWithItsReason() {
        String user = LedgerTests.newUser("mp-abort");
        Upload upload = reserve(user, now.plus(Duration.ofHours(1)));
        multipart.open(upload.uploadId(), "s3-abort", 8_000, 3, null, now);
        assertThat(counters(ledger, user)).isEqualTo(new Counters(0, 0, SIZE, 1));

        MultipartUpload aborted =
                multipart.abort(upload.uploadId(), AbortReason.CLIENT, now).orElseThrow();
        MultipartUpload again = multipart
                .abort(upload.uploadId(), AbortReason.EXPIRED, now.plusSeconds(5))
                .orElseThrow();

        assertThat(aborted.state()).isEqualTo(State.ABORTED);
        assertThat(aborted.abortReason()).isEqualTo(AbortReason.CLIENT);
        assertThat(again).isEqualTo(aborted);
        assertThat(counters(ledger, user)).isEqualTo(new Counters(0, 0, 0, 0));
        assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().status()).isEqualTo(UploadStatus.EXPIRED);
        assertThat(multipart.complete(upload.uploadId(), now)).contains(State.ABORTED);
    }

    @Test
    void aCompletedUploadKeepsItsReservationForTheEnforcerAndCannotBeAborted() {
        String user = LedgerTests.newUser("mp-complete");
        Upload upload = reserve(user, now.plus(Duration.ofHours(1)));
        multipart.open(upload.uploadId(), "s3-complete", 8_000, 3, null, now);

        assertThat(multipart.complete(upload.uploadId(), now)).contains(State.COMPLETED);
        assertThat(multipart.complete(upload.uploadId(), now.plusSeconds(1))).contains(State.COMPLETED);
        MultipartUpload afterAbort =
                multipart.abort(upload.uploadId(), AbortReason.CLIENT, now).orElseThrow();

        assertThat(afterAbort.state()).isEqualTo(State.COMPLETED);
        assertThat(afterAbort.completedAt()).isEqualTo(now);
        assertThat(counters(ledger, user)).isEqualTo(new Counters(0, 0, SIZE, 1));
        assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().status()).isEqualTo(UploadStatus.RESERVED);
    }

    @Test
    void anExpiredOpenUploadIsLeftToTheReleaserUntilAbortedThenReleasedOnce() {
        String user = LedgerTests.newUser("mp-expired");
        Upload open = reserve(user, now.minus(Duration.ofMinutes(10)));
        multipart.open(open.uploadId(), "s3-expired", 8_000, 3, null, now);
        Upload completed = reserve(user, now.minus(Duration.ofMinutes(10)));
        multipart.open(completed.uploadId(), "s3-completed", 8_000, 3, null, now);
        multipart.complete(completed.uploadId(), now);
        Upload live = reserve(user, now.plus(Duration.ofHours(1)));
        multipart.open(live.uploadId(), "s3-live", 8_000, 3, null, now);

        // the plain release gives back the completed one (the enforcer did not book it in time), as
        // for a single PUT, but never an open one: its parts are still in S3
        drainPlainRelease();
        assertThat(counters(ledger, user)).isEqualTo(new Counters(0, 0, 2 * SIZE, 2));
        assertThat(multipart.abandoned(now, GRACE, 10_000))
                .extracting(MultipartUpload::uploadId)
                .contains(open.uploadId())
                .doesNotContain(completed.uploadId(), live.uploadId());

        multipart.abort(open.uploadId(), AbortReason.EXPIRED, now);

        assertThat(counters(ledger, user)).isEqualTo(new Counters(0, 0, SIZE, 1));
        assertThat(multipart.abandoned(now, GRACE, 10_000))
                .extracting(MultipartUpload::uploadId)
                .doesNotContain(open.uploadId());
        assertThat(multipart.find(open.uploadId()).orElseThrow().abortReason()).isEqualTo(AbortReason.EXPIRED);
    }

    @Test
    void aFailedCreateGivesTheReservationBackOnce() {
        String user = LedgerTests.newUser("mp-create-failed");
        Upload upload = reserve(user, now.plus(Duration.ofHours(1)));

        multipart.createFailed(upload.uploadId(), 8_000, 3, now);
        multipart.createFailed(upload.uploadId(), 8_000, 3, now);

        assertThat(counters(ledger, user)).isEqualTo(new Counters(0, 0, 0, 0));
        MultipartUpload record = multipart.find(upload.uploadId()).orElseThrow();
        assertThat(record.state()).isEqualTo(State.ABORTED);
        assertThat(record.abortReason()).isEqualTo(AbortReason.CREATE_FAILED);
        assertThat(record.s3UploadId()).isNull();
    }

    private void drainPlainRelease() {
        while (ledger.releaseExpired(now, GRACE, 1000) > 0) {
            // every due reservation, this test's and those earlier tests left
        }
    }

    private Upload reserve(String user, Instant expiresAt) {
        var outcome = ledger.reserve(request(user, SIZE, expiresAt), ROOMY, now);
        assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
        return ((ReserveOutcome.Reserved) outcome).upload();
    }
}
