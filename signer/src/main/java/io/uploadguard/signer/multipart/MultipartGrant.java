package io.uploadguard.signer.multipart;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code POST /uploads} for a multipart upload: the part plan and the first page of
 * part URLs. {@code nextPartNumber} is the first part not in {@code parts}, null when all are there;
 * later pages come from {@code POST /uploads/{uploadId}/parts}.
 *
 * @param expiresAt when the upload closes: parts and completion must be done by then
 * @param partUrlsExpireAt when the URLs in {@code parts} expire
 */
public record MultipartGrant(
        UUID uploadId,
        String key,
        String method,
        long partSize,
        int partCount,
        List<PartUrl> parts,
        Integer nextPartNumber,
        Instant expiresAt,
        Instant partUrlsExpireAt) {

    static final String METHOD = "MULTIPART";
}
