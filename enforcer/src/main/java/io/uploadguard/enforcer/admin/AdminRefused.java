package io.uploadguard.enforcer.admin;

import io.uploadguard.security.ApiError;

/**
 * An admin request refused on purpose: answered with {@code status} and an {@link ApiError} body
 * whose {@code error} code is stable. Thrown, so the operations read straight through.
 */
public class AdminRefused extends RuntimeException {

    private final int status;
    private final transient ApiError body;

    AdminRefused(int status, String error, String message) {
        super(error + ": " + message, null, false, false);
        this.status = status;
        this.body = ApiError.of(error, message);
    }

    public static AdminRefused malformed(String message) {
        return new AdminRefused(400, "malformed_request", message);
    }

    static AdminRefused notFound(String message) {
        return new AdminRefused(404, "not_found", message);
    }

    int status() {
        return status;
    }

    ApiError body() {
        return body;
    }
}
