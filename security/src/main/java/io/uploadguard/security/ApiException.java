package io.uploadguard.security;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request refused on purpose, by either service: the HTTP status, the {@link ApiError} body with
 * its stable {@code error} code, and headers the client needs (such as {@code Retry-After}). Thrown
 * so that checks read straight through; {@link ApiErrors} answers it. Carries no stack trace: it is
 * an answer, never a server error.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final transient ApiError body;
    private final Map<String, String> headers;

    public ApiException(int status, ApiError body, Map<String, String> headers) {
        super(body.error() + ": " + body.message(), null, false, false);
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException of(int status, String error, String message) {
        return new ApiException(status, ApiError.of(error, message), Map.of());
    }

    public static ApiException badRequest(String error, String message) {
        return of(400, error, message);
    }

    /** 400 {@code malformed_request}: the request's shape is wrong. */
    public static ApiException malformed(String message) {
        return badRequest("malformed_request", message);
    }

    public static ApiException notFound(String message) {
        return of(404, "not_found", message);
    }

    /** 403 {@code user_blocked}, with the end of the block in the body. */
    public static ApiException blocked(Instant until, String reason) {
        return new ApiException(
                403,
                new ApiError("user_blocked", "uploads are blocked until " + until + ": " + reason, until, null),
                Map.of());
    }

    /** 429 {@code rate_limited}; whole seconds, at least one, in the body and in {@code Retry-After}. */
    public static ApiException rateLimited(Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return new ApiException(
                        429,
                        new ApiError(
                                "rate_limited",
                                "too many signed URLs this minute; retry in " + seconds + " s",
                                null,
                                seconds),
                        Map.of())
                .retryAfter(Duration.ofSeconds(seconds));
    }

    /** The same refusal with a {@code Retry-After} header of whole seconds. */
    public ApiException retryAfter(Duration after) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put("Retry-After", Long.toString(after.toSeconds()));
        return new ApiException(status, body, more);
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return body;
    }

    /** The stable code, e.g. for a metric label. */
    public String error() {
        return body.error();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
