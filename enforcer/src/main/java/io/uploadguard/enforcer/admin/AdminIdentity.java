package io.uploadguard.enforcer.admin;

import io.uploadguard.security.ApiException;
import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.UserIds;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/** Who an admin request comes from: the token's configured user claim, as the audit log records it. */
@Component
public class AdminIdentity {

    private final AuthProperties auth;

    AdminIdentity(AuthProperties auth) {
        this.auth = auth;
    }

    /** The admin's user id; a token without the configured claim is refused (401). */
    public String of(Jwt token) {
        return UserIds.from(token == null ? java.util.Map.of() : token.getClaims(), auth.userClaim())
                .orElseThrow(() -> ApiException.of(
                        401, "invalid_token", UserIds.missing(auth.userClaim()).message()));
    }
}
