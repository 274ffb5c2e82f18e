package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.uploadguard.security.LocalTokens;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Findings of issue 12 that a client can try: tokens that never expire, log injection, the page's CSP. */
@Tag("integration")
@ExtendWith(OutputCaptureExtension.class)
class HostileClientTest extends SignerIntegrationTest {

    private static final String VALID = "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":100}";

    @Test
    void aTokenWithoutExpiryIs401InvalidToken() throws Exception {
        String user = newUser();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject(user).issueTime(new Date()).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

        Reply reply = post(jwt.serialize(), VALID);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().get("error").asString()).isEqualTo("invalid_token");
        assertThat(books(user)).isEqualTo(new Books(java.util.Map.of(), 0));
        // the same token with an expiry is fine: exp is what made the difference
        assertThat(post(token(user), VALID).status()).isEqualTo(201);
    }

    @Test
    void aUserIdWithANewlineIsLoggedEscaped(CapturedOutput output) {
        String user = newUser() + "\nFORGED signing refused user=admin";

        Reply reply = post(LocalTokens.mint(SECRET, user, Duration.ofMinutes(5)), VALID);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(output.getOut())
                .contains("signing refused user=" + user.replace('\n', '?') + " profile=avatar error=invalid_token")
                .doesNotContain("\nFORGED");
    }

    @Test
    void everyAnswerCarriesAContentSecurityPolicyWithoutInlineScript() {
        Reply page = get(null, "/");
        URI s3 = URI.create(sandbox().s3Endpoint());

        String policy =
                page.raw().headers().firstValue("Content-Security-Policy").orElseThrow();

        assertThat(policy)
                .contains("default-src 'self'")
                .contains("connect-src 'self' " + s3.getScheme() + "://" + s3.getRawAuthority())
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(page.raw().body())
                .as("the page has no inline script or style for the policy to block")
                .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                .doesNotContain("<style")
                .doesNotContain(" style=")
                .doesNotContain(" onclick=");
        assertThat(get(null, "/uploads/x").raw().headers().firstValue("Content-Security-Policy"))
                .contains(policy);
    }
}
