package io.uploadguard.signer;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.notifications.BackendNotice;
import io.uploadguard.ledger.policy.Reason;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** A user's view of one of their uploads; someone else's upload is as good as absent. */
@Component
class UploadStatusReader {

    private final QuotaLedger ledger;
    private final OwnUploads uploads;

    UploadStatusReader(QuotaLedger ledger, OwnUploads uploads) {
        this.ledger = ledger;
        this.uploads = uploads;
    }

    Optional<UploadStatusView> find(String userId, String uploadId) {
        return uploads.find(userId, uploadId)
                .map(upload -> UploadStatusView.of(upload, signatures(upload), scanPending(upload), backend(upload)));
    }

    /**
     * Notifications are written by verdicts and later bookings: an upload still awaiting its verdict
     * has none, so the status polls made while it waits cost no delivery query.
     */
    private BackendNotice backend(Upload upload) {
        return upload.status() == UploadStatus.RESERVED ? BackendNotice.NONE : ledger.backendNotice(upload.uploadId());
    }

    /** An upload still reserved whose object the enforcer holds for the malware scanner: {@code scan_pending}. */
    private boolean scanPending(Upload upload) {
        return upload.status() == UploadStatus.RESERVED
                && ledger.scanPendingSince(upload.uploadId()).isPresent();
    }

    /** Only a MALWARE verdict has signatures: any other upload costs no second query. */
    private List<String> signatures(Upload upload) {
        return upload.reasons().contains(Reason.MALWARE.name()) ? ledger.scanSignatures(upload.uploadId()) : List.of();
    }
}
