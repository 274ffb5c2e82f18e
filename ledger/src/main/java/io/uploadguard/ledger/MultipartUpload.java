package io.uploadguard.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code multipart_uploads} (V10) with its upload's bucket and key: the plan of a
 * multipart upload the signer started, and where it stands. Its reservation is its {@link Upload}.
 *
 * @param s3UploadId S3's UploadId; null only when CreateMultipartUpload failed
 * @param checksumAlgorithm {@code SHA256} when parts carry checksums, else null
 * @param abortReason why it was aborted, once {@link State#ABORTED}
 */
public record MultipartUpload(
        UUID uploadId,
        String bucket,
        String key,
        String s3UploadId,
        long partSize,
        int partCount,
        String checksumAlgorithm,
        State state,
        Instant createdAt,
        Instant completedAt,
        Instant abortedAt,
        AbortReason abortReason) {

    public enum State {
        /** Parts may be uploaded; the signer may complete it. */
        OPEN,
        /** The signer completed it in S3: the enforcer books the object as for a single PUT. */
        COMPLETED,
        /** Aborted in S3 (or found gone there) and its reservation released. */
        ABORTED
    }

    public enum AbortReason {
        /** The owner asked for it ({@code DELETE /uploads/{id}}). */
        CLIENT,
        /** Not completed by its expiry: the releaser aborted it. */
        EXPIRED,
        /** S3 refused or failed CreateMultipartUpload after the reservation was made. */
        CREATE_FAILED
    }
}
