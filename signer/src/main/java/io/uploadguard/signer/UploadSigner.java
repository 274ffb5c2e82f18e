package io.uploadguard.signer;

import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.ledger.policy.UploadProfiles;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.LogSafe;
import io.uploadguard.signer.multipart.MultipartRequest;
import io.uploadguard.signer.multipart.MultipartSigner;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import tools.jackson.databind.ObjectMapper;

/**
 * The signing logic, shared by the HTTP controller and the Lambda function: checks the request
 * against its upload profile, picks the key, presigns a PUT that locks everything S3 can lock,
 * then reserves the quota. Presigning comes first because it has no side effects: a request
 * refused for any reason reserves nothing.
 */
@Component
public class UploadSigner {

    private static final Logger log = LoggerFactory.getLogger(UploadSigner.class);
    /** Clients set these themselves and refuse to be told (the length is still signed). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");
    /** S3 caps user metadata at 2 KB; the user id must leave room for the upload id. */
    private static final int MAX_ENCODED_USER_ID = 1536;

    private final UploadProfiles profiles;
    private final QuotaPolicy quotas;
    private final QuotaLedger ledger;
    private final KeyLayout layout;
    private final S3Presigner presigner;
    private final SignerProperties properties;
    private final SigningMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock;
    private final MultipartSigner multipart;

    public UploadSigner(
            UploadProfiles profiles,
            QuotaPolicy quotas,
            QuotaLedger ledger,
            KeyLayout layout,
            S3Presigner presigner,
            SignerProperties properties,
            SigningMetrics metrics,
            ObjectMapper json,
            Clock clock,
            MultipartSigner multipart) {
        this.profiles = profiles;
        this.quotas = quotas;
        this.ledger = ledger;
        this.layout = layout;
        this.presigner = presigner;
        this.properties = properties;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.multipart = multipart;
    }

    public SigningOutcome sign(String userId, String body) {
        long started = System.nanoTime();
        String profileLabel = SigningMetrics.UNKNOWN_PROFILE;
        SigningOutcome outcome;
        try {
            UploadRequest request = UploadRequest.parse(body, json);
            if (profiles.profile(request.profile()).isPresent()) {
                profileLabel = request.profile();
            }
            outcome = sign(userId, request);
        } catch (ApiException e) {
            outcome = new SigningOutcome.Refused(e);
        }
        metrics.record(profileLabel, outcome, System.nanoTime() - started);
        if (outcome instanceof SigningOutcome.Refused refused) {
            // no URL, body or token in logs: the error code and the user are what an operator needs
            log.info(
                    "signing refused user={} profile={} error={}",
                    LogSafe.escape(userId),
                    profileLabel,
                    refused.refusal().error());
        }
        return outcome;
    }

    private SigningOutcome sign(String userId, UploadRequest request) {
        UploadProfile profile = profiles.profile(request.profile())
                .orElseThrow(() -> ApiException.badRequest(
                        "unknown_profile",
                        "no upload profile named '" + request.profile() + "'; known profiles: "
                                + profiles.profiles().keySet()));
        String contentType = request.contentType().strip().toLowerCase(Locale.ROOT);
        if (!profile.allows(contentType)) {
            throw ApiException.badRequest(
                    "type_not_allowed",
                    "content type '" + contentType + "' is not allowed for profile '" + request.profile()
                            + "'; allowed: " + profile.allowedTypes());
        }
        if (request.size() > profile.maxSize().toBytes()) {
            throw ApiException.badRequest(
                    "too_large",
                    "size " + request.size()
                            + " bytes is above the limit of profile '" + request.profile() + "' ("
                            + profile.maxSize().toBytes() + " bytes)");
        }
        if (userId.codePoints().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL, and no identity provider issues such ids: a forged or broken token
            throw ApiException.of(401, "invalid_token", "the user id in the token contains control characters");
        }
        String encodedUserId = URLEncoder.encode(userId, StandardCharsets.UTF_8);
        if (encodedUserId.length() > MAX_ENCODED_USER_ID) {
            throw ApiException.of(401, "invalid_token", "the user id in the token is too long");
        }

        if (profile.usesMultipart(request.size())) {
            return signMultipart(userId, encodedUserId, request, profile, contentType);
        }

        UUID uploadId = UUID.randomUUID();
        String key = layout.newIncomingKey(userId, contentType);
        Instant now = clock.instant();
        PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p.signatureDuration(profile.urlLifetime())
                .putObjectRequest(PutObjectRequest.builder()
                        .bucket(properties.bucket())
                        .key(key)
                        .contentType(contentType)
                        .contentLength(request.size())
                        .metadata(Map.of("user-id", encodedUserId, "upload-id", uploadId.toString()))
                        .ifNoneMatch("*")
                        .checksumSHA256(request.checksumSha256())
                        .build()));
        Instant expiresAt = presigned.expiration();

        ReserveOutcome reserved = ledger.reserve(
                new ReservationRequest(
                        uploadId,
                        userId,
                        request.profile(),
                        properties.bucket(),
                        key,
                        contentType,
                        request.size(),
                        request.checksumSha256(),
                        request.filename(),
                        expiresAt,
                        request.clientReference()),
                quotas.forUser(userId),
                now);
        Optional<ApiException> refused = ReservationRefusals.of(reserved);
        if (refused.isPresent()) {
            return new SigningOutcome.Refused(refused.get());
        }
        return new SigningOutcome.Signed(new UploadTicket(
                uploadId, key, presigned.url().toString(), "PUT", clientHeaders(presigned.signedHeaders()), expiresAt));
    }

    /** Above the profile's multipart threshold: see {@link MultipartSigner}. */
    private SigningOutcome signMultipart(
            String userId, String encodedUserId, UploadRequest request, UploadProfile profile, String contentType) {
        MultipartSigner.Signing signing = multipart.sign(
                new MultipartRequest(
                        userId,
                        request.profile(),
                        profile,
                        properties.bucket(),
                        contentType,
                        request.size(),
                        request.checksumSha256(),
                        request.checksumAlgorithm(),
                        request.filename(),
                        request.clientReference()),
                encodedUserId,
                quotas.forUser(userId));
        return ReservationRefusals.of(signing.reserved())
                .<SigningOutcome>map(SigningOutcome.Refused::new)
                .orElseGet(() -> new SigningOutcome.MultipartSigned(signing.grant()));
    }

    private static Map<String, String> clientHeaders(Map<String, List<String>> signed) {
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEach((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, String.join(",", values));
            }
        });
        return headers;
    }
}
