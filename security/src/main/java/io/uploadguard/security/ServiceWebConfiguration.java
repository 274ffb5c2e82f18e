package io.uploadguard.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import tools.jackson.databind.ObjectMapper;

/**
 * What both services' HTTP side shares; each application {@code @Import}s it. The error model
 * ({@link ApiErrors}), the request body limit ({@link RequestBodyLimit}), and the JWT decoder for
 * local mode, with {@code exp} required of every token ({@link ExpiryRequired}); start-up refuses
 * unsafe token settings ({@link IdentityProviderSettings}).
 */
@Configuration
@ConditionalOnServerMode
@Import({ApiErrors.class, IdentityProviderSettings.class})
@EnableConfigurationProperties({AuthProperties.class, HttpLimits.class})
public class ServiceWebConfiguration {

    /** Local mode: HS256 tokens from a shared secret (see {@link BearerTokens#hmacDecoder}). */
    @Bean
    @ConditionalOnExpression("'${uploadguard.auth.hmac-secret:}' != ''")
    JwtDecoder hmacJwtDecoder(AuthProperties auth) {
        return BearerTokens.hmacDecoder(auth);
    }

    @Bean
    static ExpiryRequired jwtExpiryRequired() {
        return new ExpiryRequired();
    }

    /** First of all filters: a refused body is never read, not even by the security filters. */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(HttpLimits limits, ObjectMapper json) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimit(limits, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
