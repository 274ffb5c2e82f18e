package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.policy.UploadProfile;

/**
 * A signing request the signer has checked against its profile (type, size, user id) and found
 * above the profile's multipart threshold.
 *
 * @param contentType as declared, normalised
 * @param checksumAlgorithm {@code SHA256} when parts will carry checksums, else null
 */
public record MultipartRequest(
        String userId,
        String profileName,
        UploadProfile profile,
        String bucket,
        String contentType,
        long size,
        String checksumSha256,
        String checksumAlgorithm,
        String filename,
        String clientReference) {}
