package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.MultipartLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.security.ApiException;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Finds a user's multipart upload by its id, as every multipart route starts: an unknown id and
 * another user's upload are both 404 {@code not_found} (never reveal that it exists), a single-PUT
 * upload is 409 {@code not_multipart}.
 */
@Component
class OwnedUploads {

    private final QuotaLedger ledger;
    private final MultipartLedger multipart;

    OwnedUploads(QuotaLedger ledger, MultipartLedger multipart) {
        this.ledger = ledger;
        this.multipart = multipart;
    }

    Owned find(String userId, String uploadId) {
        UUID id = parse(uploadId);
        Upload upload =
                ledger.findUpload(id).filter(u -> userId.equals(u.userId())).orElseThrow(() -> notFound(uploadId));
        MultipartUpload record = multipart
                .find(id)
                .orElseThrow(() -> ApiException.of(
                        409, "not_multipart", "upload " + id + " is a single PUT upload, not a multipart one"));
        return new Owned(upload, record, new PartPlan(upload.declaredSize(), record.partSize(), record.partCount()));
    }

    private static UUID parse(String uploadId) {
        try {
            return UUID.fromString(uploadId);
        } catch (IllegalArgumentException e) {
            throw notFound(uploadId);
        }
    }

    private static ApiException notFound(String uploadId) {
        return ApiException.notFound("you have no upload with id " + uploadId.replaceAll("[^0-9a-fA-F-]", "?"));
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
                            + multipart.state().name().toLowerCase(java.util.Locale.ROOT)
                            + (multipart.state() == MultipartUpload.State.OPEN ? " but expired" : "")
                            + "; start a new upload");
        }
    }
}
