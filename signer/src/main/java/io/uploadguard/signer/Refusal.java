package io.uploadguard.signer;

import io.uploadguard.security.ApiError;
import java.time.Duration;
import java.time.Instant;

/** Why a request was refused: the HTTP status and the body the client gets. */
record Refusal(int status, ApiError body, Duration retryAfter) {

    static Refusal badRequest(String error, String message) {
        return new Refusal(400, ApiError.of(error, message), null);
    }

    static Refusal of(int status, String error, String message) {
        return new Refusal(status, ApiError.of(error, message), null);
    }

    static Refusal blocked(Instant until, String reason) {
        return new Refusal(
                403,
                new ApiError("user_blocked", "uploads are blocked until " + until + ": " + reason, until, null),
                null);
    }

    static Refusal rateLimited(Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return new Refusal(
                429,
                new ApiError(
                        "rate_limited", "too many signed URLs this minute; retry in " + seconds + " s", null, seconds),
                Duration.ofSeconds(seconds));
    }

    String error() {
        return body.error();
    }
}
