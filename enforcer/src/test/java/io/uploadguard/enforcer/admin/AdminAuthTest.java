package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.uploadguard.security.LocalTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may use the admin API: only a valid token with the admin role. Everybody else is refused
 * before anything happens, with JSON bodies, and the operational endpoints stay open.
 */
@Tag("integration")
class AdminAuthTest extends AdminIntegrationTest {

    private static final String EVERY_ENDPOINT = """
            GET    | /admin/users/someone
            POST   | /admin/users/someone/block
            POST   | /admin/users/someone/unblock
            GET    | /admin/quarantine
            POST   | /admin/quarantine/00000000-0000-0000-0000-000000000000/release
            DELETE | /admin/quarantine/00000000-0000-0000-0000-000000000000
            """;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = EVERY_ENDPOINT)
    void noTokenIs401(String method, String path) {
        Reply reply = call(method, path, null, Map.of("reason", "r", "duration", "PT1H"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("unauthorized");
        assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = EVERY_ENDPOINT)
    void aNormalUserIs403(String method, String path) {
        Reply reply = call(method, path, userToken(newUser()), Map.of("reason", "r", "duration", "PT1H"));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("forbidden");
        assertThat(reply.body().get("message").asString())
                .contains("'uploadguard-admin'")
                .contains("'roles'");
    }

    @Test
    void aNormalUserCannotBlockAnybodyNorUnblockThemself() {
        String victim = newUser();
        accepted(victim, 100);
        String mallory = newUser();
        accepted(mallory, 100);
        admin.block(mallory, Duration.ofHours(1), "abuse", ADMIN, Instant.now());

        assertThat(post(
                                userToken(mallory),
                                "/admin/users/" + victim + "/block",
                                Map.of("reason", "revenge", "duration", "P1D"))
                        .status())
                .isEqualTo(403);
        assertThat(post(userToken(mallory), "/admin/users/" + mallory + "/unblock", reason("please"))
                        .status())
                .isEqualTo(403);

        assertThat(ledger.account(victim).orElseThrow().blockedUntil()).isNull();
        assertThat(ledger.account(mallory).orElseThrow().isBlocked(Instant.now()))
                .isTrue();
        assertThat(admin.auditFor(victim, 10)).isEmpty();
        assertThat(admin.auditFor(mallory, 10)).hasSize(1);
    }

    @Test
    void otherRolesOrTheRoleInAnotherClaimAreNotEnough() {
        String otherRoles = LocalTokens.mint(
                AUTH_SECRET, ADMIN, Duration.ofMinutes(5), Map.of("roles", List.of("uploadguard-user", "admin")));
        String otherClaim = LocalTokens.mint(
                AUTH_SECRET,
                ADMIN,
                Duration.ofMinutes(5),
                Map.of("scope", "uploadguard-admin", "groups", List.of("uploadguard-admin")));

        assertThat(get(otherRoles, "/admin/quarantine").status()).isEqualTo(403);
        assertThat(get(otherClaim, "/admin/quarantine").status()).isEqualTo(403);
    }

    @Test
    void theRolesClaimMayBeASpaceSeparatedString() {
        String token = LocalTokens.mint(
                AUTH_SECRET, ADMIN, Duration.ofMinutes(5), Map.of("roles", "reader uploadguard-admin"));

        assertThat(get(token, "/admin/quarantine?limit=1").status()).isEqualTo(200);
    }

    @Test
    void anAdminTokenSignedWithAnotherKeyOrExpiredIs401() throws Exception {
        String forged = LocalTokens.mint(
                "another-secret-that-is-also-long-enough",
                ADMIN,
                Duration.ofMinutes(5),
                Map.of("roles", List.of("uploadguard-admin")));
        var expired = new JWTClaimsSet.Builder()
                .subject(ADMIN)
                .claim("roles", List.of("uploadguard-admin"))
                .expirationTime(Date.from(Instant.now().minusSeconds(600)))
                .build();

        for (String token : List.of(forged, hs256(expired))) {
            Reply reply = get(token, "/admin/quarantine");
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.error()).isEqualTo("invalid_token");
        }
    }

    @Test
    void anAdminTokenThatNamesNobodyCannotAct() throws Exception {
        String user = newUser();
        accepted(user, 100);
        var nobody = new JWTClaimsSet.Builder()
                .claim("roles", List.of("uploadguard-admin"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();

        Reply reply = post(hs256(nobody), "/admin/users/" + user + "/block", Map.of("reason", "r", "duration", "PT1H"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("invalid_token");
        assertThat(ledger.account(user).orElseThrow().blockedUntil())
                .as("no actor, no action")
                .isNull();
    }

    @Test
    void healthMetricsAndTheApiDocumentStayOpenAndEverythingElseIsClosed() {
        assertThat(get(null, "/actuator/health").status()).isEqualTo(200);
        assertThat(get(null, "/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(get(null, "/actuator/prometheus").status()).isEqualTo(200);
        Reply document = get(null, "/admin-openapi.yaml");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.raw().body()).startsWith("openapi: 3.1");

        assertThat(get(null, "/anything").status()).isEqualTo(401);
        assertThat(get(userToken(newUser()), "/anything").status()).isEqualTo(403);
        assertThat(get(adminToken(), "/actuator/env").status()).isEqualTo(403);
    }

    @Test
    void anAdminAskingForNoSuchEndpointGetsAJson404() {
        Reply reply = get(adminToken(), "/admin/nothing-here");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("not_found");
        assertThat(call("PUT", "/admin/quarantine/" + UUID.randomUUID(), adminToken(), reason("r"))
                        .status())
                .isEqualTo(405);
    }

    @Test
    void refusedAccessIsCountedWithoutNamingAnybody() {
        String user = newUser();
        get(null, "/admin/users/" + user);
        get(userToken(user), "/admin/users/" + user);

        String scrape = scrape();
        assertThat(scrape).containsPattern("uploadguard_admin_access_refused_total\\{[^}]*status=\"401\"[^}]*} [1-9]");
        assertThat(scrape).containsPattern("uploadguard_admin_access_refused_total\\{[^}]*status=\"403\"[^}]*} [1-9]");
        assertThat(scrape).doesNotContain(user);
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(AUTH_SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
