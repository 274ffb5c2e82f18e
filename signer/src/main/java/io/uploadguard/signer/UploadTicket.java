package io.uploadguard.signer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a client needs to upload: PUT the bytes to {@code url} with exactly {@code headers}
 * ({@code Host} and {@code Content-Length} are left out: clients set them, and the length is signed).
 */
public record UploadTicket(
        UUID uploadId, String key, String url, String method, Map<String, String> headers, Instant expiresAt) {}
