package io.uploadguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

class IdentityProviderSettingsTest {

    private final WebApplicationContextRunner server =
            new WebApplicationContextRunner().withUserConfiguration(IdentityProviderSettings.class);

    @Test
    void anIdentityProviderWithAnAudienceStarts() {
        server.withPropertyValues(
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://idp.example.com/",
                        "spring.security.oauth2.resourceserver.jwt.audiences=uploadguard")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void anIdentityProviderWithoutAnAudienceIsRefused() {
        server.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://idp.example.com/jwks")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.audiences is required"));
    }

    @Test
    void anHmacSecretNextToAnIdentityProviderIsRefused() {
        server.withPropertyValues(
                        "uploadguard.auth.hmac-secret=a-local-secret-that-is-long-enough-000",
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://idp.example.com/",
                        "spring.security.oauth2.resourceserver.jwt.audiences=uploadguard")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("both uploadguard.auth.hmac-secret and an identity provider"));
    }

    @Test
    void localModeWithAnHmacSecretAloneStarts() {
        server.withPropertyValues("uploadguard.auth.hmac-secret=a-local-secret-that-is-long-enough-000")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void noCheckWithoutAWebApplicationWhereApiGatewayVerifiesTokens() {
        new ApplicationContextRunner()
                .withUserConfiguration(IdentityProviderSettings.class)
                .withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=https://idp.example.com/")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
