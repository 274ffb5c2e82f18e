package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.MultipartUpload.AbortReason;
import io.uploadguard.ledger.booking.MultipartLedger;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Aborts the multipart uploads the signer started that were not completed by their expiry, then
 * gives their reservation back ({@link MultipartLedger#abort}, reason EXPIRED). Abort first: a crash
 * between the two leaves an upload aborted in S3 and still reserved, which the next run aborts again
 * (S3's NoSuchUpload counts as done) and releases. A completed upload is not touched: its object is
 * booked by the enforcer as any other. The bucket's lifecycle rule aborting incomplete uploads stays
 * as the backstop for uploads the ledger does not know (a crash right after CreateMultipartUpload).
 */
@Component
class AbandonedMultipartUploads {

    private static final Logger log = LoggerFactory.getLogger(AbandonedMultipartUploads.class);
    /** Per run: an upload S3 fails to abort is retried by the next run, not in a loop. */
    private static final int BATCH = 200;

    private final MultipartLedger multipart;
    private final S3Client s3;
    private final EnforcerProperties properties;
    private final Clock clock;

    AbandonedMultipartUploads(MultipartLedger multipart, S3Client s3, EnforcerProperties properties, Clock clock) {
        this.multipart = multipart;
        this.s3 = s3;
        this.properties = properties;
        this.clock = clock;
    }

    /** Aborts and releases up to a batch of abandoned uploads; returns how many were released. */
    int abort() {
        List<MultipartUpload> due =
                multipart.abandoned(clock.instant(), properties.enforcer().reservationGrace(), BATCH);
        int released = 0;
        for (MultipartUpload upload : due) {
            try {
                abortInS3(upload);
            } catch (SdkException e) {
                log.warn(
                        "abandoned multipart upload not aborted, next run retries upload={}: {}",
                        upload.uploadId(),
                        e.toString());
                continue;
            }
            multipart.abort(upload.uploadId(), AbortReason.EXPIRED, clock.instant());
            released++;
        }
        if (released > 0) {
            log.info("aborted {} abandoned multipart uploads and released their reservations", released);
        }
        return released;
    }

    private void abortInS3(MultipartUpload upload) {
        try {
            s3.abortMultipartUpload(
                    b -> b.bucket(upload.bucket()).key(upload.key()).uploadId(upload.s3UploadId()));
        } catch (NoSuchUploadException e) {
            // aborted by an earlier run that crashed before releasing, or by the lifecycle rule
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }
}
