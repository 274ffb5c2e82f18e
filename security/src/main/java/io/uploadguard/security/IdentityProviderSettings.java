package io.uploadguard.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Refuses token settings that would accept the wrong tokens in production. A service that trusts
 * an identity provider ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or
 * {@code jwk-set-uri}) must also name the audience its tokens are minted for: without it, a token
 * the provider issued to any other application of the same tenant would pass. And an HMAC secret
 * next to an identity provider leaves it unclear which of the two verifies tokens: the local
 * secret would quietly win, so the combination is refused rather than guessed.
 *
 * <p>{@link ServiceWebConfiguration} imports it: start-up then fails on such settings. Only where
 * the service verifies tokens itself: as a Lambda function behind API Gateway, the JWT authorizer does.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnServerMode
public class IdentityProviderSettings {

    static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
    static final String JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";
    static final String AUDIENCES = "spring.security.oauth2.resourceserver.jwt.audiences";
    static final String HMAC_SECRET = "uploadguard.auth.hmac-secret";

    @Bean
    InitializingBean identityProviderSettingsVerified(Environment environment) {
        return () -> verify(environment);
    }

    /** Throws, naming every problem, if the settings must not start a service. */
    public static void verify(Environment environment) {
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
    }

    static List<String> problems(Environment environment) {
        boolean provider = isSet(environment, ISSUER_URI) || isSet(environment, JWK_SET_URI);
        List<String> problems = new ArrayList<>();
        if (provider && isSet(environment, HMAC_SECRET)) {
            problems.add("both " + HMAC_SECRET + " and an identity provider (" + ISSUER_URI + " or " + JWK_SET_URI
                    + ") are set: keep the HMAC secret for local use only");
        }
        if (provider && !isSet(environment, AUDIENCES)) {
            problems.add(AUDIENCES + " is required with an identity provider: the audience your tokens are minted for");
        }
        return problems;
    }

    private static boolean isSet(Environment environment, String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }
}
