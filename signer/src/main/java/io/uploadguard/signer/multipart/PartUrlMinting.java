package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.policy.UploadProfiles;
import io.uploadguard.security.ApiException;
import io.uploadguard.signer.UploadRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code POST /uploads/{id}/parts}: further pages of part URLs, for the owner, while the upload is
 * open, within the user's part-URL rate.
 */
@Component
class PartUrlMinting {

    private final OwnedUploads uploads;
    private final PartUrls partUrls;
    private final PartUrlRateLimit rateLimit;
    private final UploadProfiles profiles;
    private final MultipartProperties properties;
    private final Clock clock;

    PartUrlMinting(
            OwnedUploads uploads,
            PartUrls partUrls,
            PartUrlRateLimit rateLimit,
            UploadProfiles profiles,
            MultipartProperties properties,
            Clock clock) {
        this.uploads = uploads;
        this.partUrls = partUrls;
        this.rateLimit = rateLimit;
        this.profiles = profiles;
        this.properties = properties;
        this.clock = clock;
    }

    PartUrlsView mint(String userId, String uploadId, PartUrlsRequest request) {
        OwnedUploads.Owned owned = uploads.find(userId, uploadId);
        if (!owned.open(clock.instant())) {
            throw owned.notOpen();
        }
        List<Integer> numbers = partNumbers(request, owned.plan());
        Map<Integer, String> checksums = checksums(request, numbers, owned);
        Optional<Duration> wait = rateLimit.take(userId, numbers.size());
        if (wait.isPresent()) {
            throw ApiException.rateLimited(wait.get());
        }
        Duration urlLifetime = profiles.profile(owned.upload().profile())
                .map(p -> p.urlLifetime())
                .orElse(io.uploadguard.ledger.policy.UploadProfile.DEFAULT_URL_LIFETIME);
        PartUrls.Page page = partUrls.presign(
                owned.multipart(),
                owned.plan(),
                numbers,
                checksums,
                urlLifetime,
                owned.upload().expiresAt());
        return new PartUrlsView(owned.upload().uploadId(), page.parts(), page.expiresAt());
    }

    private List<Integer> partNumbers(PartUrlsRequest request, PartPlan plan) {
        List<Integer> numbers = request == null ? null : request.partNumbers();
        if (numbers == null || numbers.isEmpty() || numbers.size() > properties.pageSize()) {
            throw ApiException.badRequest(
                    "invalid_part_numbers", "partNumbers must list 1 to " + properties.pageSize() + " part numbers");
        }
        if (new HashSet<>(numbers).size() != numbers.size()) {
            throw ApiException.badRequest("invalid_part_numbers", "partNumbers must not repeat a part number");
        }
        for (Integer n : numbers) {
            if (n == null || !plan.has(n)) {
                throw ApiException.badRequest(
                        "invalid_part_numbers",
                        "part numbers go from 1 to " + plan.partCount() + " for this upload, got " + n);
            }
        }
        return numbers;
    }

    private static Map<Integer, String> checksums(
            PartUrlsRequest request, List<Integer> numbers, OwnedUploads.Owned owned) {
        Map<String, String> given = request.checksumsSha256();
        if (given == null || given.isEmpty()) {
            return Map.of();
        }
        if (!S3MultipartUploads.SHA256.equals(owned.multipart().checksumAlgorithm())) {
            throw ApiException.badRequest(
                    "invalid_checksum", "checksumsSha256 needs an upload created with checksumAlgorithm SHA256");
        }
        Map<Integer, String> checksums = new HashMap<>();
        for (var entry : given.entrySet()) {
            Integer number = partNumber(entry.getKey());
            if (number == null || !numbers.contains(number)) {
                throw ApiException.badRequest(
                        "invalid_checksum", "checksumsSha256 names a part that partNumbers does not list");
            }
            if (entry.getValue() == null || !UploadRequest.isSha256Base64(entry.getValue())) {
                throw ApiException.badRequest(
                        "invalid_checksum",
                        "checksumsSha256 values must be the base64 encoding of a 32-byte SHA-256 digest");
            }
            checksums.put(number, entry.getValue());
        }
        return checksums;
    }

    private static Integer partNumber(String key) {
        try {
            return Integer.valueOf(key);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The body of {@code POST /uploads/{id}/parts}. */
    record PartUrlsRequest(List<Integer> partNumbers, Map<String, String> checksumsSha256) {}

    /** The answer of {@code POST /uploads/{id}/parts}. */
    record PartUrlsView(UUID uploadId, List<PartUrl> parts, java.time.Instant partUrlsExpireAt) {}
}
