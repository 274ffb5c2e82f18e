package io.uploadguard.signer.multipart;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code uploadguard.signer.multipart.*}.
 *
 * @param pageSize part URLs in the grant's first page and at most per {@code POST /uploads/{id}/parts}
 * @param partUrlsPerMinute part URLs one user may have minted per minute through {@code POST
 *     /uploads/{id}/parts} (a token bucket that refills continuously); per signer instance
 * @param trackedUsers how many users' buckets an instance keeps at most (idle ones are dropped
 *     after a minute, when their bucket would be full again anyway)
 */
@ConfigurationProperties("uploadguard.signer.multipart")
record MultipartProperties(
        @DefaultValue("100") int pageSize,
        @DefaultValue("1200") int partUrlsPerMinute,
        @DefaultValue("100000") int trackedUsers) {

    MultipartProperties {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException(
                    "uploadguard.signer.multipart.page-size must be 1 to 1000, was " + pageSize);
        }
        if (partUrlsPerMinute < pageSize) {
            throw new IllegalArgumentException("uploadguard.signer.multipart.part-urls-per-minute must be at least"
                    + " page-size (" + pageSize + "), or a full page could never be minted; was " + partUrlsPerMinute);
        }
        if (trackedUsers < 1) {
            throw new IllegalArgumentException(
                    "uploadguard.signer.multipart.tracked-users must be more than 0, was " + trackedUsers);
        }
    }
}
