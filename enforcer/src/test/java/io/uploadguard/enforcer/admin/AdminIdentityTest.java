package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.security.ApiException;
import io.uploadguard.security.AuthProperties;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** The admin's identity is the configured user claim, not the token's subject. */
class AdminIdentityTest {

    private final AdminIdentity identity =
            new AdminIdentity(new AuthProperties("email", null, null, List.of(), "roles", "uploadguard-admin"));

    private static Jwt token(String subject, String email) {
        var builder =
                Jwt.withTokenValue("t").header("alg", "HS256").subject(subject).issuedAt(Instant.now());
        if (email != null) {
            builder.claim("email", email);
        }
        return builder.build();
    }

    @Test
    void theConfiguredClaimNamesTheAdmin() {
        assertThat(identity.of(token("0f3a-opaque-subject", "alice@example.com")))
                .isEqualTo("alice@example.com");
    }

    @Test
    void aTokenWithoutTheClaimIsRefused() {
        assertThatThrownBy(() -> identity.of(token("0f3a-opaque-subject", null)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
