package io.uploadguard.security;

import java.time.Clock;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Refuses tokens without {@code exp}, whichever decoder a service uses (the local HS256 one or the
 * one Spring Boot builds for the identity provider): Spring Security checks {@code exp} only when
 * it is present, and a token that never expires cannot be revoked by waiting. Tokens that pass are
 * kept for their next requests ({@link ValidatedTokens}).
 */
class ExpiryRequired implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JwtDecoder decoder) {
            return new ValidatedTokens(token -> requireExpiry(decoder.decode(token)), Clock.systemUTC());
        }
        return bean;
    }

    static Jwt requireExpiry(Jwt jwt) {
        if (jwt.getExpiresAt() == null) {
            throw new BadJwtException("the token has no exp claim");
        }
        return jwt;
    }
}
