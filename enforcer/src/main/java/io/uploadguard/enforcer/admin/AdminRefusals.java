package io.uploadguard.enforcer.admin;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.admin.ReleaseOutcome;
import io.uploadguard.security.ApiException;
import java.util.UUID;

/** The refusals of the admin operations, worded once: what is wrong and what the operator can do. */
final class AdminRefusals {

    private AdminRefusals() {}

    static ApiException objectMissing(UUID uploadId, String quarantineBucket, String quarantineKey) {
        return ApiException.of(
                409,
                "object_missing",
                "upload " + uploadId
                        + " is booked as quarantined but its object is neither at " + quarantineKey + " in bucket "
                        + quarantineBucket + " nor at the served key; purge it to close the books");
    }

    static ApiException releaseRefusal(ReleaseOutcome outcome) {
        if (outcome instanceof ReleaseOutcome.OverQuota q) {
            return ApiException.of(
                    409,
                    "quota_exceeded",
                    "releasing upload " + q.upload().uploadId() + " ("
                            + q.upload().realSize() + " bytes) would take user '"
                            + q.upload().userId() + "' to " + q.wouldBe()
                            + " " + q.which().label() + " (used plus reserved) of a limit of " + q.limit()
                            + "; repeat with force=true to release it anyway");
        }
        if (outcome instanceof ReleaseOutcome.NoOwner n) {
            return ApiException.of(
                    409,
                    "no_owner",
                    "upload " + n.upload().uploadId() + " was written with no "
                            + "reservation by no user the ledger knows, so there is no quota to count it against; purge it");
        }
        if (outcome instanceof ReleaseOutcome.NotReleasable n) {
            return notQuarantined(n.upload());
        }
        if (outcome instanceof ReleaseOutcome.NoUploadToRelease n) {
            return unknownUpload(n.uploadId());
        }
        throw new IllegalStateException("not a refusal: " + outcome);
    }

    static ApiException notQuarantined(Upload upload) {
        return ApiException.of(
                409,
                "not_quarantined",
                "upload " + upload.uploadId() + " is not in quarantine (status " + upload.status()
                        + (upload.action() == null ? "" : ", " + upload.action()) + ")");
    }

    static ApiException unknownUpload(UUID uploadId) {
        return ApiException.notFound("no upload " + uploadId + " in the ledger");
    }

    static ApiException unknownUser(String userId) {
        return ApiException.notFound(
                "no user '" + userId + "' in the ledger (a user appears with their first " + "signed upload)");
    }
}
