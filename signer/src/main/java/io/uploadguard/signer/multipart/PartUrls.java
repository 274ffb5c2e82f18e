package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.security.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

/**
 * Presigns UploadPart URLs, each locking its part's exact Content-Length (and its SHA-256 when the
 * client gives one). They live the profile's url-lifetime, never past the upload's expiry.
 */
@Component
class PartUrls {

    /** Clients set these themselves and refuse to be told (the length is still signed). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");

    private final S3Presigner presigner;
    private final Clock clock;

    PartUrls(S3Presigner presigner, Clock clock) {
        this.presigner = presigner;
        this.clock = clock;
    }

    /** @param checksums base64 SHA-256 by part number; parts without one are signed without */
    Page presign(
            MultipartUpload upload,
            PartPlan plan,
            List<Integer> partNumbers,
            Map<Integer, String> checksums,
            Duration urlLifetime,
            Instant uploadExpiresAt) {
        Instant now = clock.instant();
        Duration untilClosed = Duration.between(now, uploadExpiresAt).withNanos(0);
        Duration lifetime = urlLifetime.compareTo(untilClosed) < 0 ? urlLifetime : untilClosed;
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw ApiException.of(409, "upload_not_open", "this upload has expired");
        }
        List<PartUrl> urls = partNumbers.stream()
                .map(n -> partUrl(upload, n, plan.sizeOf(n), checksums.get(n), lifetime))
                .toList();
        return new Page(urls, now.plus(lifetime));
    }

    private PartUrl partUrl(MultipartUpload upload, int partNumber, long size, String checksum, Duration lifetime) {
        PresignedUploadPartRequest presigned = presigner.presignUploadPart(p -> p.signatureDuration(lifetime)
                .uploadPartRequest(r -> r.bucket(upload.bucket())
                        .key(upload.key())
                        .uploadId(upload.s3UploadId())
                        .partNumber(partNumber)
                        .contentLength(size)
                        .checksumSHA256(checksum)));
        Map<String, String> headers = new LinkedHashMap<>();
        for (var header : presigned.signedHeaders().entrySet()) {
            if (!SET_BY_CLIENT.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.put(header.getKey(), String.join(",", header.getValue()));
            }
        }
        return new PartUrl(partNumber, presigned.url().toString(), headers);
    }

    /** A page of part URLs and when they expire. */
    record Page(List<PartUrl> parts, Instant expiresAt) {}
}
