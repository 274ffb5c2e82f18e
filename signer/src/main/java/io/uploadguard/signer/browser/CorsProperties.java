package io.uploadguard.signer.browser;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which web apps on other origins may call the signer from a browser ({@code uploadguard.cors.*}).
 * Nothing by default: an empty list sends no CORS headers at all, as before. Credentials stay off:
 * the API takes a bearer token, never a cookie.
 *
 * @param allowedOrigins exact origins, e.g. {@code https://app.example.com}; {@code *} is refused in
 *     production ({@link CorsSettingsVerified})
 * @param allowedHeaders request headers a page may send
 * @param maxAge how long a browser may cache a preflight answer
 */
@ConfigurationProperties("uploadguard.cors")
public record CorsProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue({"Authorization", "Content-Type"}) List<String> allowedHeaders,
        @DefaultValue("1h") Duration maxAge) {

    public CorsProperties {
        allowedOrigins = allowedOrigins.stream()
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .toList();
        allowedHeaders = List.copyOf(allowedHeaders);
    }
}
