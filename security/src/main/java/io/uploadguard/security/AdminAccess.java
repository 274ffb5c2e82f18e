package io.uploadguard.security;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * Who may use an admin API: a verified token whose roles claim ({@link AuthProperties#rolesClaim()})
 * names the admin role ({@link AuthProperties#adminRole()}). Identity providers disagree on the
 * shape of that claim, so a JSON array of names and a space-separated string (OAuth2's
 * {@code scope}) are both read, and a dotted claim name reaches into nested objects (Keycloak's
 * {@code realm_access.roles}) when no claim has that exact name (Auth0's namespaced claims are URLs
 * with dots in them).
 */
public final class AdminAccess {

    /** The authority a token with the admin role is granted; the only one this module grants. */
    public static final String AUTHORITY = "UPLOADGUARD_ADMIN";

    private AdminAccess() {}

    /** The role names a token's claims carry under {@code claim}; empty when it has none. */
    public static Set<String> roles(Map<String, ?> claims, String claim) {
        if (claims == null || claim == null) {
            return Set.of();
        }
        Object value = claims.containsKey(claim) ? claims.get(claim) : nested(claims, claim);
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof Collection<?> names) {
            for (Object name : names) {
                // only strings: a number or an object in a role list is not a role name
                if (name instanceof String s && !s.isBlank()) {
                    roles.add(s.strip());
                }
            }
        } else if (value instanceof String names) {
            for (String name : names.strip().split("\\s+")) {
                if (!name.isEmpty()) {
                    roles.add(name);
                }
            }
        }
        return roles;
    }

    public static boolean isAdmin(Map<String, ?> claims, AuthProperties auth) {
        return roles(claims, auth.rolesClaim()).contains(auth.adminRole());
    }

    /**
     * Turns a verified JWT into an authentication that holds {@link #AUTHORITY} if and only if the
     * token carries the admin role; no other claim becomes an authority, so a {@code scope} the
     * identity provider hands out for other purposes opens nothing here.
     */
    public static Converter<Jwt, AbstractAuthenticationToken> jwtConverter(AuthProperties auth) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> isAdmin(jwt.getClaims(), auth)
                ? List.<GrantedAuthority>of(new SimpleGrantedAuthority(AUTHORITY))
                : List.of());
        return converter;
    }

    /**
     * 403 with a JSON {@link ApiError} body ({@code forbidden}) for a valid token without the admin
     * role. {@code onRefusal} lets a service count refusals.
     */
    public static AccessDeniedHandler jsonAccessDenied(
            ObjectMapper json, AuthProperties auth, Consumer<HttpServletRequest> onRefusal) {
        ApiError body = ApiError.of(
                "forbidden",
                "this endpoint needs the '" + auth.adminRole() + "' role in the token's '" + auth.rolesClaim()
                        + "' claim");
        return (request, response, denied) -> {
            onRefusal.accept(request);
            response.setStatus(403);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            try {
                json.writeValue(response.getOutputStream(), body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Object nested(Map<String, ?> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }
}
