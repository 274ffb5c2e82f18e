package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.booking.MultipartLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.LogSafe;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signs a multipart upload: reserves the whole declared size, starts the upload in S3, records its
 * plan and answers the first page of part URLs.
 *
 * <p>Reserve first, then CreateMultipartUpload: a request the ledger refuses (blocked, rate, quota)
 * costs no S3 call and leaves no trace anywhere, so a refused client cannot make the signer create
 * and abort uploads in S3 at will. If the create then fails, the reservation is given back at once
 * ({@link MultipartLedger#createFailed}). A crash between the two leaves a reservation with no S3
 * upload, released at its expiry like any other; a crash after the create and before its record
 * leaves an empty S3 upload no client has URLs for, which the bucket's lifecycle rule aborts.
 *
 * <p>Seven collaborators: the ledger's two books, the key layout and the three steps (S3, URLs,
 * clock) each do one job; grouping them would only hide the order above.
 */
@Component
public class MultipartSigner {

    private static final Logger log = LoggerFactory.getLogger(MultipartSigner.class);

    private final QuotaLedger ledger;
    private final MultipartLedger multipart;
    private final KeyLayout layout;
    private final S3MultipartUploads s3;
    private final PartUrls partUrls;
    private final MultipartProperties properties;
    private final Clock clock;

    MultipartSigner(
            QuotaLedger ledger,
            MultipartLedger multipart,
            KeyLayout layout,
            S3MultipartUploads s3,
            PartUrls partUrls,
            MultipartProperties properties,
            Clock clock) {
        this.ledger = ledger;
        this.multipart = multipart;
        this.layout = layout;
        this.s3 = s3;
        this.partUrls = partUrls;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param upload what the client asked for, checked against its profile by the caller
     * @param encodedUserId the user id as the owner metadata carries it (URL-encoded)
     * @return the grant, or a refusal that left no trace
     */
    public Signing sign(MultipartRequest upload, String encodedUserId, Quota quota) {
        UploadProfile profile = upload.profile();
        PartPlan plan = PartPlan.of(upload.size(), profile.partSize().toBytes());
        if (upload.checksumSha256() != null) {
            throw ApiException.badRequest(
                    "invalid_checksum",
                    "checksumSha256 is for single PUT uploads; this one is multipart: send checksumAlgorithm"
                            + " SHA256 and each part's checksum when asking for its URL");
        }
        UUID uploadId = UUID.randomUUID();
        String key = layout.newIncomingKey(upload.userId(), upload.contentType());
        Instant now = clock.instant();
        Instant expiresAt = now.plus(profile.multipartLifetime());
        ReserveOutcome reserved = ledger.reserve(
                new ReservationRequest(
                        uploadId,
                        upload.userId(),
                        upload.profileName(),
                        upload.bucket(),
                        key,
                        upload.contentType(),
                        upload.size(),
                        null,
                        upload.filename(),
                        expiresAt,
                        upload.clientReference()),
                quota,
                now);
        if (!(reserved instanceof ReserveOutcome.Reserved)) {
            return new Signing(reserved, null);
        }
        String s3UploadId;
        try {
            s3UploadId = s3.create(
                    upload.bucket(),
                    key,
                    upload.contentType(),
                    Map.of("user-id", encodedUserId, "upload-id", uploadId.toString()),
                    upload.checksumAlgorithm());
        } catch (RuntimeException e) {
            multipart.createFailed(uploadId, plan.partSize(), plan.partCount(), clock.instant());
            log.warn(
                    "multipart create failed, reservation released user={} upload={}",
                    LogSafe.escape(upload.userId()),
                    uploadId);
            throw e instanceof ApiException refusal ? refusal : S3MultipartUploads.unavailable();
        }
        MultipartUpload opened = multipart.open(
                uploadId, s3UploadId, plan.partSize(), plan.partCount(), upload.checksumAlgorithm(), now);
        PartUrls.Page page = partUrls.presign(
                opened, plan, plan.page(1, properties.pageSize()), Map.of(), profile.urlLifetime(), expiresAt);
        int last = page.parts().get(page.parts().size() - 1).partNumber();
        return new Signing(
                reserved,
                new MultipartGrant(
                        uploadId,
                        key,
                        MultipartGrant.METHOD,
                        plan.partSize(),
                        plan.partCount(),
                        page.parts(),
                        plan.after(last),
                        expiresAt,
                        page.expiresAt()));
    }

    /** The ledger's answer, and the grant when it reserved. */
    public record Signing(ReserveOutcome reserved, MultipartGrant grant) {}
}
