package io.uploadguard.enforcer.admin;

import io.uploadguard.security.AdminAccess;
import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.BearerTokens;
import io.uploadguard.security.ConditionalOnServerMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.ObjectMapper;

/**
 * The enforcer's HTTP port: health, metrics and the admin API's document are public; the admin API
 * needs a bearer JWT with the admin role (401 without a valid token, 403 without the role);
 * anything else is refused. Stateless: no sessions and no cookies, hence no CSRF tokens.
 *
 * <p>The port is meant for the internal network only (operators, Prometheus, the orchestrator's
 * probes); the role check does not rely on that.
 */
@Configuration
@ConditionalOnServerMode
class AdminSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurityConfiguration.class);

    @Bean
    SecurityFilterChain enforcerHttp(
            HttpSecurity http,
            ObjectMapper json,
            AuthProperties auth,
            ObjectProvider<JwtDecoder> decoders,
            AdminMetrics metrics)
            throws Exception {
        var unauthorized = BearerTokens.jsonEntryPoint(json, request -> {
            if (request.getRequestURI().startsWith("/admin/")) {
                metrics.accessRefused(401);
            }
        });
        var forbidden = AdminAccess.jsonAccessDenied(json, auth, request -> metrics.accessRefused(403));
        http.authorizeHttpRequests(a -> a.requestMatchers(
                                "/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info")
                        .permitAll()
                        .requestMatchers("/admin-openapi.yaml", "/error")
                        .permitAll()
                        .requestMatchers("/admin/**")
                        .hasAuthority(AdminAccess.AUTHORITY)
                        .anyRequest()
                        .denyAll())
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        if (decoders.getIfAvailable() != null) {
            http.oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(AdminAccess.jwtConverter(auth)))
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden));
        } else {
            // the enforcer is a worker first: a deployment that configured no token issuer keeps
            // enforcing, and its admin API answers 401 to everybody
            log.warn("admin API closed: no JWT decoder (set uploadguard.auth.hmac-secret, or "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri)");
        }
        return http.build();
    }
}
