package io.uploadguard.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Every refusal's body: a stable machine-readable {@code error} code and a message for people.
 * {@code blockedUntil} and {@code retryAfterSeconds} appear where they apply.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, Instant blockedUntil, Long retryAfterSeconds) {

    public static ApiError of(String error, String message) {
        return new ApiError(error, message, null, null);
    }
}
