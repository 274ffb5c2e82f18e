package io.uploadguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;

/** The local HS256 decoder refuses what an attacker would try: other keys, issuers, audiences. */
class BearerTokensTest {

    private static final String SECRET = "bearer-tokens-test-secret-long-enough";

    @Test
    void aTokenFromTheRightIssuerForTheRightAudienceIsAccepted() {
        var decoder = BearerTokens.hmacDecoder(
                new AuthProperties("sub", SECRET, "https://idp.example", List.of("uploadguard"), null, null));

        var jwt = decoder.decode(LocalTokens.mint(
                SECRET,
                "alice",
                Duration.ofMinutes(1),
                Map.of("iss", "https://idp.example", "aud", List.of("uploadguard"))));

        assertThat(jwt.getSubject()).isEqualTo("alice");
    }

    @Test
    void aWrongIssuerIsRefused() {
        var decoder = BearerTokens.hmacDecoder(
                new AuthProperties("sub", SECRET, "https://idp.example", List.of(), null, null));

        assertThatThrownBy(() -> decoder.decode(LocalTokens.mint(
                        SECRET, "alice", Duration.ofMinutes(1), Map.of("iss", "https://evil.example"))))
                .isInstanceOf(JwtException.class);
    }

    @Test
    void aWrongOrMissingAudienceIsRefused() {
        var decoder =
                BearerTokens.hmacDecoder(new AuthProperties("sub", SECRET, null, List.of("uploadguard"), null, null));

        assertThatThrownBy(() -> decoder.decode(LocalTokens.mint(
                        SECRET, "alice", Duration.ofMinutes(1), Map.of("aud", List.of("another-api")))))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(LocalTokens.mint(SECRET, "alice", Duration.ofMinutes(1))))
                .isInstanceOf(JwtException.class);
    }

    @Test
    void aShortSecretIsRefusedAtStartup() {
        assertThatThrownBy(() -> new AuthProperties("sub", "short", null, List.of(), null, null))
                .hasMessageContaining("at least 32 bytes");
    }
}
