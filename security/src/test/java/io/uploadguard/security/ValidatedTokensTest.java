package io.uploadguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** The cache answers only what the full check answered, and only while the token is valid. */
class ValidatedTokensTest {

    private static final Instant START = Instant.parse("2026-12-06T05:00:00Z");

    private final AtomicInteger checks = new AtomicInteger();
    private Instant now = START;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** Accepts "good-*" tokens valid for 10 minutes from START, refuses everything else. */
    private final JwtDecoder fullCheck = token -> {
        checks.incrementAndGet();
        if (!token.startsWith("good-")) {
            throw new BadJwtException("bad signature");
        }
        if (!now.isBefore(START.plus(Duration.ofMinutes(10)))) {
            throw new BadJwtException("expired");
        }
        return Jwt.withTokenValue(token)
                .header("alg", "HS256")
                .subject(token)
                .issuedAt(START)
                .expiresAt(START.plus(Duration.ofMinutes(10)))
                .build();
    };

    private final ValidatedTokens tokens = new ValidatedTokens(fullCheck, clock);

    @Test
    void aValidTokenIsCheckedOnceThenAnsweredFromTheCache() {
        Jwt first = tokens.decode("good-a");
        Jwt second = tokens.decode("good-a");

        assertThat(second).isSameAs(first);
        assertThat(checks).hasValue(1);
        assertThat(tokens.decode("good-b").getSubject()).isEqualTo("good-b");
        assertThat(checks).hasValue(2);
    }

    @Test
    void aRefusedTokenIsCheckedAgainEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        }
        assertThat(checks).hasValue(3);
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpires() {
        tokens.decode("good-a");
        now = START.plus(Duration.ofMinutes(10));

        assertThatThrownBy(() -> tokens.decode("good-a")).isInstanceOf(BadJwtException.class);
        assertThat(checks).hasValue(2);
    }
}
