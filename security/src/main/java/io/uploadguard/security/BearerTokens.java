package io.uploadguard.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import tools.jackson.databind.ObjectMapper;

/** How UploadGuard's services check bearer JWTs and refuse requests without a good one. */
public final class BearerTokens {

    private BearerTokens() {}

    /**
     * Local mode: tokens signed with a shared HS256 secret. Only HS256 is accepted, so a token with
     * {@code alg: none} or another algorithm is refused whatever it claims; expiry and not-before
     * are checked, and issuer and audience when configured.
     */
    public static JwtDecoder hmacDecoder(AuthProperties auth) {
        var key = new SecretKeySpec(auth.hmacSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key)
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(
                auth.issuer() == null || auth.issuer().isBlank()
                        ? JwtValidators.createDefault()
                        : JwtValidators.createDefaultWithIssuer(auth.issuer()));
        if (!auth.audiences().isEmpty()) {
            validators.add(new JwtClaimValidator<List<String>>(
                    JwtClaimNames.AUD, aud -> aud != null && aud.stream().anyMatch(auth.audiences()::contains)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    /**
     * 401 with a JSON {@link ApiError} body and the {@code WWW-Authenticate} header RFC 6750 asks
     * for. {@code onRefusal} lets a service count refusals.
     */
    public static AuthenticationEntryPoint jsonEntryPoint(ObjectMapper json, Consumer<HttpServletRequest> onRefusal) {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) -> {
            boolean hadToken = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
            ApiError body = hadToken
                    ? ApiError.of(
                            "invalid_token",
                            "the bearer token is not valid (bad signature, expired, "
                                    + "not yet valid, or wrong issuer or audience)")
                    : ApiError.of("unauthorized", "send a bearer token: Authorization: Bearer <JWT>");
            onRefusal.accept(request);
            response.setStatus(401);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, hadToken ? "Bearer error=\"invalid_token\"" : "Bearer");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            try {
                json.writeValue(response.getOutputStream(), body);
            } catch (IOException ioe) {
                throw new java.io.UncheckedIOException(ioe);
            }
        };
    }
}
