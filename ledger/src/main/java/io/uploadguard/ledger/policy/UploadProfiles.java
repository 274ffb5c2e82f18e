package io.uploadguard.ledger.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The upload profiles, bound from {@code uploadguard.profiles.<name>.*}.
 *
 * <p>Configuring any profile replaces the built-in {@code avatar} and {@code document} profiles
 * rather than adding to them, so a deployment never serves a profile it did not ask for.
 */
@ConfigurationProperties("uploadguard")
public record UploadProfiles(Map<String, UploadProfile> profiles) {

    public static final Map<String, UploadProfile> DEFAULTS = Map.of(
            "avatar",
                    new UploadProfile(
                            List.of("image/png", "image/jpeg", "image/webp"),
                            DataSize.ofMegabytes(5),
                            Duration.ofMinutes(5),
                            ViolationAction.QUARANTINE),
            "document",
                    new UploadProfile(
                            List.of("application/pdf"),
                            DataSize.ofMegabytes(50),
                            Duration.ofMinutes(5),
                            ViolationAction.QUARANTINE));

    public UploadProfiles {
        profiles = profiles == null || profiles.isEmpty() ? DEFAULTS : Map.copyOf(profiles);
    }

    public static UploadProfiles defaults() {
        return new UploadProfiles(null);
    }

    public Optional<UploadProfile> profile(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(profiles.get(name));
    }
}
