package io.uploadguard.ledger.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The upload profiles, bound from {@code uploadguard.profiles.<name>.*}.
 *
 * <p>Configuring any profile replaces the built-in {@code avatar}, {@code document} and {@code video} profiles
 * rather than adding to them, so a deployment never serves a profile it did not ask for.
 *
 * <p>A profile that allows a type browsers execute (HTML, SVG, XML, script) is refused unless it
 * sets {@code active-content: true}; one that does is named in a WARN at start-up.
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
                            ViolationAction.QUARANTINE),
            // large files: anything above 32MB is a multipart upload of 8MB parts, open for a day
            "video",
                    new UploadProfile(
                            List.of("video/mp4", "video/webm", "application/zip", "application/octet-stream"),
                            DataSize.ofGigabytes(10),
                            Duration.ofMinutes(5),
                            ViolationAction.QUARANTINE,
                            false,
                            false,
                            null,
                            DataSize.ofMegabytes(32),
                            DataSize.ofMegabytes(8),
                            Duration.ofHours(24)));

    private static final Logger log = LoggerFactory.getLogger(UploadProfiles.class);

    public UploadProfiles {
        profiles = profiles == null || profiles.isEmpty() ? DEFAULTS : Map.copyOf(profiles);
        List<String> optedIn = new ArrayList<>();
        for (var entry : new TreeMap<>(profiles).entrySet()) {
            List<String> active = entry.getValue().activeTypes();
            if (active.isEmpty()) {
                continue;
            }
            if (!entry.getValue().activeContent()) {
                throw new IllegalArgumentException("profile '" + entry.getKey() + "' allows " + active.get(0)
                        + ", which browsers execute (script on the origin that serves the bucket); remove it from"
                        + " uploadguard.profiles." + entry.getKey() + ".allowed-types, or set uploadguard.profiles."
                        + entry.getKey() + ".active-content=true if serving active content is intended");
            }
            optedIn.add(entry.getKey() + " " + active);
        }
        if (!optedIn.isEmpty()) {
            log.warn("profiles allow active content (active-content=true), served copies may run script: {}", optedIn);
        }
    }

    public static UploadProfiles defaults() {
        return new UploadProfiles(null);
    }

    public Optional<UploadProfile> profile(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(profiles.get(name));
    }
}
