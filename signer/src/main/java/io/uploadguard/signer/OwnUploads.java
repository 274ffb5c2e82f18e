package io.uploadguard.signer;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.security.ApiException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A user's upload by the id a client sent, as every route about one upload starts: an id that is
 * not a UUID, an unknown one and another user's upload are all absent, so that an answer never
 * reveals that someone else's upload exists.
 */
@Component
public class OwnUploads {

    private final QuotaLedger ledger;

    OwnUploads(QuotaLedger ledger) {
        this.ledger = ledger;
    }

    public Optional<Upload> find(String userId, String uploadId) {
        UUID id;
        try {
            id = UUID.fromString(uploadId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return ledger.findUpload(id).filter(upload -> userId.equals(upload.userId()));
    }

    /** The 404 {@code not_found} for an absent upload; the echoed id keeps only UUID characters. */
    public static ApiException notFound(String uploadId) {
        return ApiException.notFound("you have no upload with id " + uploadId.replaceAll("[^0-9a-fA-F-]", "?"));
    }
}
