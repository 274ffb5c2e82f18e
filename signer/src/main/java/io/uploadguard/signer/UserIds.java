package io.uploadguard.signer;

import java.util.Map;
import java.util.Optional;

/** The user id of a caller, from the configured claim of a verified token. */
final class UserIds {

    private UserIds() {}

    static Optional<String> from(Map<String, ?> claims, String claim) {
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

    static Refusal missing(String claim) {
        return Refusal.of(401, "invalid_token", "the token has no '" + claim + "' claim to identify the user");
    }
}
