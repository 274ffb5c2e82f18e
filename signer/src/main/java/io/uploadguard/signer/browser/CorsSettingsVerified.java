package io.uploadguard.signer.browser;

import java.util.Arrays;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;

/**
 * Refuses to start in production with {@code *} among the allowed origins: any site a user visits
 * could then drive the API with a token it got hold of, and a wildcard is usually left over from a
 * test. List the app's origins instead.
 */
class CorsSettingsVerified implements InitializingBean {

    static final String PRODUCTION_PROFILE = "production";

    private final CorsProperties cors;
    private final Environment environment;

    CorsSettingsVerified(CorsProperties cors, Environment environment) {
        this.cors = cors;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        verify(cors, environment.getActiveProfiles());
    }

    static void verify(CorsProperties cors, String... activeProfiles) {
        boolean production = Arrays.asList(activeProfiles).contains(PRODUCTION_PROFILE);
        if (production && cors.allowedOrigins().stream().anyMatch(origin -> origin.contains("*"))) {
            throw new IllegalStateException("refusing to start: uploadguard.cors.allowed-origins contains a wildcard"
                    + " (" + String.join(", ", cors.allowedOrigins()) + ") in production:"
                    + " list the exact origins of your web apps, e.g. https://app.example.com");
        }
    }
}
