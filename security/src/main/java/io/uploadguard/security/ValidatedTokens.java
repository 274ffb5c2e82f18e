package io.uploadguard.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * A bounded cache of tokens that passed the whole check (signature, algorithm, {@code exp},
 * {@code nbf}, issuer, audience), keyed by the token's exact text, as API gateways keep one.
 * Clients send the same token with every request until it expires, and the signature check and
 * claims parsing were an eighth of the signer's request CPU.
 *
 * <p>Why it changes no answer: the key is the whole token, signature included, so a token with
 * another signature or other claims is another key and gets the full check; only successes are
 * kept, so a refused token (bad signature, not yet valid, wrong issuer) is checked again each
 * time; a kept token is used only while its {@code exp} is ahead (after that the full check runs,
 * with its usual clock skew), and no longer than {@link #MAX_AGE} after its check; nothing else
 * about a token can change while it is valid (there is no revocation list to consult).
 */
final class ValidatedTokens implements JwtDecoder {

    /** Enough for every active user of one instance; about 2 KB each. */
    static final int MAX_TOKENS = 10_000;
    /** A bound even for long-lived tokens, so a changed decoder setting applies within minutes. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Cache<String, Jwt> valid;

    ValidatedTokens(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
        this.valid = Caffeine.newBuilder()
                .maximumSize(MAX_TOKENS)
                .expireAfter(Expiry.creating((String token, Jwt jwt) -> timeLeft(jwt)))
                .build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt jwt = valid.getIfPresent(token);
        Instant now = clock.instant();
        if (jwt != null && now.isBefore(jwt.getExpiresAt())) {
            return jwt;
        }
        jwt = decoder.decode(token);
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            valid.put(token, jwt);
        }
        return jwt;
    }

    private Duration timeLeft(Jwt jwt) {
        Duration left = Duration.between(clock.instant(), jwt.getExpiresAt());
        return left.compareTo(MAX_AGE) < 0 ? left : MAX_AGE;
    }
}
