package io.uploadguard.signer.browser;

import io.uploadguard.security.ConditionalOnServerMode;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * CORS for web apps on other origins that call the signer from the browser: {@code POST /uploads},
 * {@code GET /uploads/{id}} and the multipart routes under {@code /uploads/**}. Spring Security's
 * {@code cors()} picks the {@link CorsConfigurationSource} bean up, so a preflight (which carries no
 * token) is answered before authentication. The upload page and the API on the signer's own origin
 * need none of it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnServerMode
@EnableConfigurationProperties(CorsProperties.class)
public class CorsConfiguration {

    static final List<String> METHODS = List.of("GET", "POST", "DELETE");
    static final List<String> EXPOSED_HEADERS = List.of("Retry-After", "Location");

    @Bean
    CorsSettingsVerified corsSettingsVerified(CorsProperties cors, Environment environment) {
        return new CorsSettingsVerified(cors, environment);
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(CorsProperties cors) {
        var source = new UrlBasedCorsConfigurationSource();
        if (cors.allowedOrigins().isEmpty()) {
            // no configuration for any path: no CORS headers, nothing changes for same-origin callers
            return source;
        }
        var config = new org.springframework.web.cors.CorsConfiguration();
        config.setAllowedOrigins(cors.allowedOrigins());
        config.setAllowedMethods(METHODS);
        config.setAllowedHeaders(cors.allowedHeaders());
        config.setExposedHeaders(EXPOSED_HEADERS);
        config.setAllowCredentials(false);
        config.setMaxAge(cors.maxAge());
        source.registerCorsConfiguration("/uploads", config);
        source.registerCorsConfiguration("/uploads/**", config);
        return source;
    }
}
