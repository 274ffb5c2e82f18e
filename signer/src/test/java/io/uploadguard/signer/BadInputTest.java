package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.uploadguard.security.LocalTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The refusal catalogue: each bad request gets its status and stable error code, and leaves the
 * ledger exactly as it was (no account row appears, no upload is reserved).
 */
@Tag("integration")
class BadInputTest extends SignerIntegrationTest {

    private static final String VALID = "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":100}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown profile            | {"profile":"movie","contentType":"image/png","size":100}                | unknown_profile
            type not allowed           | {"profile":"avatar","contentType":"text/html","size":100}               | type_not_allowed
            svg is not an avatar type  | {"profile":"avatar","contentType":"image/svg+xml","size":100}           | type_not_allowed
            size zero                  | {"profile":"avatar","contentType":"image/png","size":0}                 | invalid_size
            negative size              | {"profile":"avatar","contentType":"image/png","size":-5}                | invalid_size
            size above the cap         | {"profile":"avatar","contentType":"image/png","size":5242881}           | too_large
            size as a string           | {"profile":"avatar","contentType":"image/png","size":"100"}             | invalid_size
            fractional size            | {"profile":"avatar","contentType":"image/png","size":1.5}               | invalid_size
            size beyond a long         | {"profile":"avatar","contentType":"image/png","size":99999999999999999999999} | invalid_size
            missing size               | {"profile":"avatar","contentType":"image/png"}                          | invalid_size
            missing profile            | {"contentType":"image/png","size":100}                                  | malformed_request
            profile not a string       | {"profile":7,"contentType":"image/png","size":100}                      | malformed_request
            unknown field              | {"profile":"avatar","contentType":"image/png","size":100,"key":"x"}     | malformed_request
            not JSON                   | profile=avatar                                                          | malformed_request
            JSON array                 | [1,2,3]                                                                 | malformed_request
            truncated JSON             | {"profile":"avatar",                                                    | malformed_request
            CRLF in content type       | {"profile":"avatar","contentType":"image/png\\r\\nX-Evil: 1","size":100} | invalid_content_type
            control char in filename   | {"profile":"avatar","contentType":"image/png","size":100,"filename":"a\\u0000.png"} | invalid_filename
            empty client reference     | {"profile":"avatar","contentType":"image/png","size":100,"clientReference":""} | invalid_client_reference
            client reference not text  | {"profile":"avatar","contentType":"image/png","size":100,"clientReference":42} | invalid_client_reference
            newline in client ref      | {"profile":"avatar","contentType":"image/png","size":100,"clientReference":"a\\nb"} | invalid_client_reference
            NUL in client reference    | {"profile":"avatar","contentType":"image/png","size":100,"clientReference":"a\\u0000b"} | invalid_client_reference
            line separator in ref      | {"profile":"avatar","contentType":"image/png","size":100,"clientReference":"a\\u2028b"} | invalid_client_reference
            paragraph separator in ref | {"profile":"avatar","contentType":"image/png","size":100,"clientReference":"a\\u2029b"} | invalid_client_reference
            lone surrogate in ref      | {"profile":"avatar","contentType":"image/png","size":100,"clientReference":"a\\ud800b"} | invalid_client_reference
            checksum not base64        | {"profile":"avatar","contentType":"image/png","size":100,"checksumSha256":"not base64!"} | invalid_checksum
            checksum of wrong length   | {"profile":"avatar","contentType":"image/png","size":100,"checksumSha256":"AAAA"} | invalid_checksum
            """)
    void aBadRequestIsRefusedWithItsCodeAndChangesNothing(String name, String body, String error) {
        String user = newUser();

        Reply reply = post(token(user), body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error").asString()).isEqualTo(error);
        assertThat(reply.body().get("message").asString()).isNotBlank();
        assertThat(books(user)).isEqualTo(new Books(java.util.Map.of(), 0));
    }

    @Test
    void anEmptyBodyIsMalformed() {
        String user = newUser();
        Reply reply = post(token(user), "");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error").asString()).isEqualTo("malformed_request");
        assertThat(books(user).uploads()).isZero();
    }

    @Test
    void noTokenIs401() {
        Reply reply = post(null, VALID);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().get("error").asString()).isEqualTo("unauthorized");
        assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void aTokenSignedWithAnotherKeyIs401() throws Exception {
        String user = newUser();
        String forged = LocalTokens.mint("another-secret-that-is-also-long-enough", user, Duration.ofMinutes(5));
        assertInvalidToken(post(forged, VALID));
        assertThat(books(user).uploads()).isZero();
    }

    @Test
    void anUnsignedAlgNoneTokenIs401() {
        String user = newUser();
        String none = new PlainJWT(new PlainHeader(), claims(user, Instant.now().plusSeconds(300), null)).serialize();
        assertInvalidToken(post(none, VALID));
        assertThat(books(user).uploads()).isZero();
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        String user = newUser();
        assertInvalidToken(post(hs256(claims(user, Instant.now().minusSeconds(600), null)), VALID));
    }

    @Test
    void aNotYetValidTokenIs401() throws Exception {
        String user = newUser();
        assertInvalidToken(post(
                hs256(claims(
                        user, Instant.now().plusSeconds(3600), Instant.now().plusSeconds(1800))),
                VALID));
    }

    @Test
    void aTokenWithoutTheUserClaimIs401() throws Exception {
        var claims = new JWTClaimsSet.Builder()
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        Reply reply = post(hs256(claims), VALID);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().get("error").asString()).isEqualTo("invalid_token");
        assertThat(reply.body().get("message").asString()).contains("'sub'");
    }

    @Test
    void aBlockedUserIs403WithUntilWhen() {
        String user = newUser();
        assertThat(sign(user, "avatar", "image/png", 10).status()).isEqualTo(201);
        Instant until = Instant.now().plus(Duration.ofHours(1));
        jdbc.sql("update accounts set blocked_until = ?, blocked_reason = 'test block' where user_id = ?")
                .param(java.sql.Timestamp.from(until))
                .param(user)
                .update();
        Books before = books(user);

        Reply reply = sign(user, "avatar", "image/png", 10);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body().get("error").asString()).isEqualTo("user_blocked");
        assertThat(Instant.parse(reply.body().get("blockedUntil").asString()))
                .isCloseTo(until, org.assertj.core.api.Assertions.within(Duration.ofSeconds(1)));
        assertThat(books(user)).isEqualTo(before);
    }

    @Test
    void overQuotaIs429WithoutRetryAfter() {
        for (int i = 0; i < 7; i++) {
            assertThat(sign("tight-quota", "avatar", "image/png", 10).status()).isIn(201, 429);
        }
        Books before = books("tight-quota");

        Reply reply = sign("tight-quota", "avatar", "image/png", 10);

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.body().get("error").asString()).isEqualTo("quota_exceeded");
        assertThat(reply.raw().headers().firstValue("Retry-After")).isEmpty();
        assertThat(books("tight-quota")).isEqualTo(before);
    }

    @Test
    void overTheRateLimitIs429WithRetryAfter() {
        String user = "rate-limited";
        sign(user, "avatar", "image/png", 10);
        sign(user, "avatar", "image/png", 10);
        Books before = books(user);

        Reply reply = sign(user, "avatar", "image/png", 10);

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.body().get("error").asString()).isEqualTo("rate_limited");
        int retryAfter =
                Integer.parseInt(reply.raw().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1, 60);
        assertThat(reply.body().get("retryAfterSeconds").asInt()).isEqualTo(retryAfter);
        assertThat(books(user)).isEqualTo(before);
    }

    private static void assertInvalidToken(Reply reply) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().get("error").asString()).isEqualTo("invalid_token");
        assertThat(reply.raw().headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("invalid_token");
    }

    private static JWTClaimsSet claims(String user, Instant expires, Instant notBefore) {
        var b = new JWTClaimsSet.Builder().subject(user).issueTime(new Date()).expirationTime(Date.from(expires));
        if (notBefore != null) {
            b.notBeforeTime(Date.from(notBefore));
        }
        return b.build();
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
