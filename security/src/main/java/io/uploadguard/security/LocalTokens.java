package io.uploadguard.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Mints HS256 tokens for local use: the launcher's demo user, tests and benchmarks. Production
 * tokens come from the identity provider, never from here.
 */
public final class LocalTokens {

    private LocalTokens() {}

    public static String mint(String secret, String subject, Duration validFor) {
        return mint(secret, subject, validFor, Map.of());
    }

    public static String mint(String secret, String subject, Duration validFor, Map<String, Object> extraClaims) {
        Instant now = Instant.now();
        var claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validFor)));
        extraClaims.forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign a token with this secret: " + e.getMessage(), e);
        }
    }
}
