package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.MultipartLedger;
import io.uploadguard.security.ApiException;
import io.uploadguard.signer.OwnUploads;
import java.time.Instant;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Finds a user's multipart upload by its id, as every multipart route starts: an unknown id and
 * another user's upload are both 404 {@code not_found} (never reveal that it exists), a single-PUT
 * upload is 409 {@code not_multipart}.
 */
@Component
class OwnedUploads {

    private final OwnUploads uploads;
    private final MultipartLedger multipart;

    OwnedUploads(OwnUploads uploads, MultipartLedger multipart) {
        this.uploads = uploads;
        this.multipart = multipart;
    }

    Owned find(String userId, String uploadId) {
        Upload upload = uploads.find(userId, uploadId).orElseThrow(() -> OwnUploads.notFound(uploadId));
        MultipartUpload record = multipart
                .find(upload.uploadId())
                .orElseThrow(() -> ApiException.of(
                        409,
                        "not_multipart",
                        "upload " + upload.uploadId() + " is a single PUT upload, not a multipart one"));
        return new Owned(upload, record, new PartPlan(upload.declaredSize(), record.partSize(), record.partCount()));
    }

    /** A user's multipart upload: its reservation, its record and its plan. */
    record Owned(Upload upload, MultipartUpload multipart, PartPlan plan) {

        /** Whether parts may still be signed and the upload completed. */
        boolean open(Instant now) {
            return multipart.state() == MultipartUpload.State.OPEN
                    && upload.status() == UploadStatus.RESERVED
                    && now.isBefore(upload.expiresAt());
        }

        ApiException notOpen() {
            return ApiException.of(
                    409,
                    "upload_not_open",
                    "upload " + upload.uploadId() + " is "
                            + multipart.state().name().toLowerCase(Locale.ROOT)
                            + (multipart.state() == MultipartUpload.State.OPEN ? " but expired" : "")
                            + "; start a new upload");
        }
    }
}
