package io.uploadguard.signer;

import io.uploadguard.security.BearerTokens;
import io.uploadguard.security.ConditionalOnServerMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import tools.jackson.databind.ObjectMapper;

/**
 * Bearer JWTs on everything but health, metrics and the static upload page. Stateless: no
 * sessions and no cookies, hence no CSRF tokens, request cache or logout. Every answer carries the upload page's
 * Content-Security-Policy ({@link UploadPagePolicy}). CORS for web apps on other origins:
 * {@link io.uploadguard.signer.browser.CorsConfiguration}.
 */
@Configuration
@ConditionalOnServerMode
class SecurityConfiguration {

    /**
     * Spring Security's observations (off in application.yml) are muted there but still built:
     * every filter of the chain wrapped in an observation decorator, and the authentication
     * manager too, about a tenth of the request threads' CPU. With these settings Security does
     * not wrap anything; http.server.requests and the signing metrics stay.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            ObjectMapper json,
            SigningMetrics metrics,
            S3Presigner presigner,
            SignerProperties properties)
            throws Exception {
        String policy = UploadPagePolicy.header(presigner, properties.bucket());
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
                // answers preflights before authentication, from io.uploadguard.signer.browser's source
                .cors(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(policy)))
                .csrf(c -> c.disable())
                // filters a stateless token API never uses, run on every request otherwise: no login
                // page to return to, no logout, no servlet-API role checks
                .requestCache(c -> c.disable())
                .logout(l -> l.disable())
                .servletApi(s -> s.disable());
        return http.build();
    }
}
