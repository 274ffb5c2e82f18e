package io.uploadguard.security;

import java.util.Map;
import java.util.Optional;

/** The user id of a caller, from the configured claim of a verified token. */
public final class UserIds {

    private UserIds() {}

    public static Optional<String> from(Map<String, ?> claims, String claim) {
        if (claims == null) {
            return Optional.empty();
        }
        Object value = claims.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        String id = value.toString();
        return id.isBlank() ? Optional.empty() : Optional.of(id);
    }

    /**
     * The user id, or a 401 {@code invalid_token} for a verified token that does not say who the
     * user is: what every authenticated route of the signer starts with.
     */
    public static String required(Map<String, ?> claims, String claim) {
        return from(claims, claim).orElseThrow(() -> new ApiException(401, missing(claim), Map.of()));
    }

    /** The 401 body for a verified token that does not say who the user is. */
    public static ApiError missing(String claim) {
        return ApiError.of("invalid_token", "the token has no '" + claim + "' claim to identify the user");
    }
}
