package io.uploadguard.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers are authenticated, bound from {@code uploadguard.auth.*}.
 *
 * <p>In production leave {@code hmac-secret} empty and point Spring Boot at the identity provider
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}). Locally
 * and in tests an HMAC secret lets the launcher and tests mint their own tokens.
 *
 * @param userClaim the claim that holds the user id
 * @param hmacSecret HS256 secret for local use; at least 32 bytes
 * @param issuer when set, tokens must carry this {@code iss} (HMAC mode)
 * @param audiences when set, tokens must name one of these in {@code aud} (HMAC mode)
 * @param rolesClaim the claim that lists a caller's roles: a JSON array of strings, or one string
 *                   of space-separated names as in OAuth2's {@code scope}; a dotted name such as
 *                   {@code realm_access.roles} reaches into nested objects when no claim has that
 *                   exact name
 * @param adminRole the role in {@code rolesClaim} that opens the admin API
 */
@ConfigurationProperties("uploadguard.auth")
public record AuthProperties(
        @DefaultValue("sub") String userClaim,
        String hmacSecret,
        String issuer,
        @DefaultValue List<String> audiences,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("uploadguard-admin") String adminRole) {

    public static final String DEFAULT_ROLES_CLAIM = "roles";
    public static final String DEFAULT_ADMIN_ROLE = "uploadguard-admin";

    public AuthProperties {
        if (hmacSecret != null && !hmacSecret.isEmpty() && hmacSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("uploadguard.auth.hmac-secret must be at least 32 bytes for HS256");
        }
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        // code that builds the record by hand (tests, the launcher) may leave the new settings out
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? DEFAULT_ROLES_CLAIM : rolesClaim.strip();
        adminRole = adminRole == null || adminRole.isBlank() ? DEFAULT_ADMIN_ROLE : adminRole.strip();
    }

    public boolean hmac() {
        return hmacSecret != null && !hmacSecret.isEmpty();
    }
}
