package io.uploadguard.signer;

import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.BearerTokens;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
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
        var unauthorized = BearerTokens.jsonEntryPoint(json, request -> {
            if (request.getRequestURI().startsWith("/uploads") && "POST".equals(request.getMethod())) {
                metrics.unauthenticated();
            }
        });
        http.authorizeHttpRequests(a -> a.requestMatchers(
                                "/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info")
                        .permitAll()
                        .requestMatchers("/", "/index.html", "/assets/**", "/favicon.ico", "/openapi.yaml", "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults()).authenticationEntryPoint(unauthorized))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        return http.build();
    }

    /** Local mode: HS256 tokens from a shared secret (see {@link BearerTokens#hmacDecoder}). */
    @Bean
    @ConditionalOnExpression("'${uploadguard.auth.hmac-secret:}' != ''")
    JwtDecoder hmacJwtDecoder(AuthProperties auth) {
        return BearerTokens.hmacDecoder(auth);
    }
}
