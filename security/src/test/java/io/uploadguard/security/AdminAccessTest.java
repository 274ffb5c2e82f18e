package io.uploadguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class AdminAccessTest {

    private final AuthProperties defaults = new AuthProperties("sub", null, null, null, null, null);

    @Test
    void newSettingsDefaultWhenLeftOut() {
        assertThat(defaults.rolesClaim()).isEqualTo("roles");
        assertThat(defaults.adminRole()).isEqualTo("uploadguard-admin");
    }

    @Test
    void rolesAreReadFromAJsonArray() {
        Map<String, Object> claims = Map.of("roles", List.of("reader", "uploadguard-admin", 7));
        assertThat(AdminAccess.roles(claims, "roles")).containsExactly("reader", "uploadguard-admin");
        assertThat(AdminAccess.isAdmin(claims, defaults)).isTrue();
    }

    @Test
    void rolesAreReadFromASpaceSeparatedString() {
        var auth = new AuthProperties("sub", null, null, List.of(), "scope", "admin:uploads");
        assertThat(AdminAccess.isAdmin(Map.of("scope", "openid  admin:uploads profile"), auth))
                .isTrue();
        assertThat(AdminAccess.isAdmin(Map.of("scope", "openid admin:uploads-not"), auth))
                .isFalse();
    }

    @Test
    void aDottedClaimReachesIntoNestedObjectsUnlessAClaimHasThatExactName() {
        var keycloak = new AuthProperties("sub", null, null, List.of(), "realm_access.roles", "ops");
        assertThat(AdminAccess.isAdmin(Map.of("realm_access", Map.of("roles", List.of("ops"))), keycloak))
                .isTrue();

        var auth0 = new AuthProperties("sub", null, null, List.of(), "https://example.com/roles", "ops");
        assertThat(AdminAccess.isAdmin(Map.of("https://example.com/roles", List.of("ops")), auth0))
                .isTrue();
    }

    @Test
    void noClaimOrAnotherShapeGivesNoRoles() {
        assertThat(AdminAccess.roles(Map.of(), "roles")).isEmpty();
        assertThat(AdminAccess.roles(Map.of("roles", Map.of("uploadguard-admin", true)), "roles"))
                .isEmpty();
        assertThat(AdminAccess.roles(Map.of("roles", 42), "roles")).isEmpty();
        assertThat(AdminAccess.roles(null, "roles")).isEmpty();
    }

    @Test
    void roleNamesAreCaseSensitive() {
        assertThat(AdminAccess.isAdmin(Map.of("roles", List.of("UPLOADGUARD-ADMIN")), defaults))
                .isFalse();
    }

    @Test
    void onlyTheAdminRoleBecomesAnAuthority() {
        Jwt admin = jwt(Map.of("sub", "ops-alice", "roles", List.of("uploadguard-admin"), "scope", "openid"));
        Jwt user = jwt(Map.of("sub", "bob", "roles", List.of("user"), "scope", "uploadguard-admin"));

        assertThat(authorities(admin)).contains(AdminAccess.AUTHORITY);
        assertThat(authorities(user)).doesNotContain(AdminAccess.AUTHORITY).noneMatch(a -> a.startsWith("SCOPE_"));
    }

    private List<String> authorities(Jwt jwt) {
        return AdminAccess.jwtConverter(defaults).convert(jwt).getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .toList();
    }

    private static Jwt jwt(Map<String, Object> claims) {
        Instant now = Instant.now();
        return new Jwt("token", now, now.plusSeconds(60), Map.of("alg", "HS256"), claims);
    }
}
