package io.uploadguard.enforcer;

import io.uploadguard.sandbox.client.ClamdServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The real clamd of the enforcer's integration tests, one per JVM, and the properties that point
 * the enforcer at it. Only the {@code document} profile is scanned, so the other tests see no
 * change; without clamd installed it is not scanned either, and {@link MalwareScanFlowTest} skips.
 */
final class TestClamd {

    /** clamd's StreamMaxLength and the enforcer's stream-max-length: small, to test the limit. */
    static final long STREAM_MAX_LENGTH = 1024 * 1024;

    private static ClamdServer server;

    private TestClamd() {}

    static synchronized Optional<ClamdServer> server() {
        if (server == null && ClamdServer.unavailableReason().isEmpty()) {
            server = ClamdServer.start(STREAM_MAX_LENGTH);
        }
        return Optional.ofNullable(server);
    }

    static Map<String, String> scannerProperties() {
        var properties = new LinkedHashMap<String, String>();
        Optional<ClamdServer> clamd = server();
        properties.put("uploadguard.profiles.avatar.scan", "off");
        properties.put("uploadguard.profiles.scratch.scan", "off");
        properties.put("uploadguard.profiles.video.scan", "off");
        properties.put("uploadguard.profiles.document.scan", clamd.isPresent() ? "required" : "off");
        clamd.ifPresent(c -> {
            properties.put("uploadguard.scanner.clamd.host", c.host());
            properties.put("uploadguard.scanner.clamd.port", String.valueOf(c.port()));
            properties.put("uploadguard.scanner.clamd.stream-max-length", STREAM_MAX_LENGTH + "B");
            properties.put("uploadguard.scanner.clamd.timeout", "10s");
            // a held message comes back after 2, 4, 8 s: clamd is back within the test queue's 3 receives
            properties.put("uploadguard.scanner.retry-backoff", "2s");
        });
        return properties;
    }
}
