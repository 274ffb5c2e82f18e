package io.uploadguard.signer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
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
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.ObjectMapper;

/**
 * Bearer JWTs on everything but health, metrics and the static upload page. Stateless: no
 * sessions and no cookies, hence no CSRF tokens.
 */
@Configuration
@ConditionalOnWebApplication
class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ObjectMapper json, SigningMetrics metrics) throws Exception {
        var unauthorized = new JsonAuthenticationEntryPoint(json, metrics);
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus",
                                "/actuator/info").permitAll()
                        .requestMatchers("/", "/index.html", "/assets/**", "/favicon.ico", "/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults()).authenticationEntryPoint(unauthorized))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        return http.build();
    }

    /**
     * Local mode: tokens signed with a shared HS256 secret. Only HS256 is accepted, so a token with
     * {@code alg: none} or another algorithm is refused whatever it claims.
     */
    @Bean
    @ConditionalOnExpression("'${uploadguard.auth.hmac-secret:}' != ''")
    JwtDecoder hmacJwtDecoder(AuthProperties auth) {
        var key = new SecretKeySpec(auth.hmacSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(auth.issuer() == null || auth.issuer().isBlank()
                ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(auth.issuer()));
        if (!auth.audiences().isEmpty()) {
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.stream().anyMatch(auth.audiences()::contains)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    /** 401 with a JSON body, and the {@code WWW-Authenticate} header RFC 6750 asks for. */
    private record JsonAuthenticationEntryPoint(ObjectMapper json, SigningMetrics metrics)
            implements org.springframework.security.web.AuthenticationEntryPoint {

        @Override
        public void commence(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response,
                             AuthenticationException e) throws IOException {
            boolean hadToken = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
            ApiError body = hadToken
                    ? ApiError.of("invalid_token", "the bearer token is not valid (bad signature, expired, "
                            + "not yet valid, or wrong issuer or audience)")
                    : ApiError.of("unauthorized", "send a bearer token: Authorization: Bearer <JWT>");
            if (request.getRequestURI().startsWith("/uploads") && "POST".equals(request.getMethod())) {
                metrics.unauthenticated();
            }
            response.setStatus(401);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, hadToken ? "Bearer error=\"invalid_token\"" : "Bearer");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), body);
        }
    }
}
