package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.MultipartUpload.AbortReason;
import io.uploadguard.ledger.MultipartUpload.State;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.MultipartLedger;
import io.uploadguard.ledger.booking.ReserveOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * The releaser (every second in these tests, no grace) aborts multipart uploads left open past their
 * expiry and gives their reservation back, even when an earlier run aborted in S3 and crashed
 * before releasing; an upload still within its expiry is left alone.
 */
@Tag("integration")
class AbandonedMultipartUploadsTest extends EnforcerIntegrationTest {

    private static final long SIZE = 12_000;

    @Autowired
    MultipartLedger multipart;

    @Test
    void anAbandonedUploadIsAbortedInS3AndItsReservationReleasedOnce() {
        String user = newUser();
        Upload abandoned = openWithOnePart(user);
        Upload abortedBeforeACrash = openWithOnePart(user);
        Upload live = openWithOnePart(user);
        MultipartUpload crashed = multipart.find(abortedBeforeACrash.uploadId()).orElseThrow();
        s3.abortMultipartUpload(b -> b.bucket(bucket()).key(crashed.key()).uploadId(crashed.s3UploadId()));

        expire(abandoned);
        expire(abortedBeforeACrash);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (Upload upload : new Upload[] {abandoned, abortedBeforeACrash}) {
                MultipartUpload record = multipart.find(upload.uploadId()).orElseThrow();
                assertThat(record.state()).isEqualTo(State.ABORTED);
                assertThat(record.abortReason()).isEqualTo(AbortReason.EXPIRED);
                assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().status())
                        .isEqualTo(UploadStatus.EXPIRED);
            }
        });
        assertThat(partsLeft(multipart.find(abandoned.uploadId()).orElseThrow()))
                .isZero();
        var account = ledger.account(user).orElseThrow();
        assertThat(account.bytesReserved())
                .as("only the live upload still holds")
                .isEqualTo(SIZE);
        assertThat(account.objectsReserved()).isEqualTo(1);
        MultipartUpload stillOpen = multipart.find(live.uploadId()).orElseThrow();
        assertThat(stillOpen.state()).isEqualTo(State.OPEN);
        assertThat(partsLeft(stillOpen)).isEqualTo(1);
    }

    /** Reserved and started as the signer does, with its first part uploaded, expiring in an hour. */
    private Upload openWithOnePart(String user) {
        Instant now = Instant.now();
        ReserveOutcome outcome = reserve(user, SIZE, now.plus(Duration.ofHours(1)), now);
        assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
        Upload upload = ((ReserveOutcome.Reserved) outcome).upload();
        String s3UploadId = s3.createMultipartUpload(b -> b.bucket(bucket())
                        .key(upload.objectKey())
                        .metadata(java.util.Map.of(
                                "user-id", user, "upload-id", upload.uploadId().toString())))
                .uploadId();
        multipart.open(upload.uploadId(), s3UploadId, 8_000, 2, null, now);
        s3.uploadPart(
                b -> b.bucket(bucket())
                        .key(upload.objectKey())
                        .uploadId(s3UploadId)
                        .partNumber(1),
                RequestBody.fromBytes(new byte[8_000]));
        return upload;
    }

    /** As if the upload's day had passed. */
    private void expire(Upload upload) {
        jdbc.sql("update uploads set expires_at = now() - interval '1 minute' where upload_id = ?")
                .param(upload.uploadId())
                .update();
    }

    private int partsLeft(MultipartUpload upload) {
        try {
            return s3.listParts(b -> b.bucket(bucket()).key(upload.key()).uploadId(upload.s3UploadId()))
                    .parts()
                    .size();
        } catch (NoSuchUploadException e) {
            return 0;
        }
    }
}
