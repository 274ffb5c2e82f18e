package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.MultipartUpload.AbortReason;
import io.uploadguard.ledger.MultipartUpload.State;
import io.uploadguard.ledger.booking.MultipartLedger;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.LogSafe;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code DELETE /uploads/{id}}: aborts the upload in S3 (its parts are deleted), then gives its
 * reservation back. Abort first: a crash between the two leaves an aborted upload still reserved,
 * which a repeated call or the releaser releases. Repeat-safe; a completed upload cannot be undone.
 */
@Component
class MultipartAborts {

    private static final Logger log = LoggerFactory.getLogger(MultipartAborts.class);

    private final OwnedUploads uploads;
    private final S3MultipartUploads s3;
    private final MultipartLedger multipart;
    private final Clock clock;

    MultipartAborts(OwnedUploads uploads, S3MultipartUploads s3, MultipartLedger multipart, Clock clock) {
        this.uploads = uploads;
        this.s3 = s3;
        this.multipart = multipart;
        this.clock = clock;
    }

    UploadStateView abort(String userId, String uploadId) {
        MultipartUpload upload = uploads.find(userId, uploadId).multipart();
        if (upload.state() == State.OPEN) {
            s3.abort(upload);
            upload = multipart
                    .abort(upload.uploadId(), AbortReason.CLIENT, clock.instant())
                    .orElseThrow();
            log.info("multipart upload aborted user={} upload={}", LogSafe.escape(userId), upload.uploadId());
        }
        if (upload.state() == State.COMPLETED) {
            throw ApiException.of(
                    409, "upload_not_open", "upload " + upload.uploadId() + " is completed; it cannot be aborted");
        }
        return UploadStateView.aborted(upload);
    }
}
