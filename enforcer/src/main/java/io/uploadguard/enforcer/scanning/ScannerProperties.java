package io.uploadguard.enforcer.scanning;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The malware scanner, bound from {@code uploadguard.scanner.*}. With no clamd host there is no
 * scanner ({@link NoScanner}).
 *
 * @param pendingHorizon how long after its upload an object the scanner could not reach is held
 *     (its message redelivered) before it is rejected as SCAN_FAILED
 * @param retryBackoff how long a held object's message stays away after its first receive; doubled
 *     at each receive (2, 4, 8, 16, 32 minutes: an hour over the stack's 5 receives before the
 *     dead-letter queue)
 * @param clamd the clamd daemon to stream objects to
 */
@ConfigurationProperties("uploadguard.scanner")
public record ScannerProperties(
        @DefaultValue("1h") Duration pendingHorizon,
        @DefaultValue("2m") Duration retryBackoff,
        @DefaultValue Clamd clamd) {

    /**
     * @param host empty for no clamd
     * @param timeout how long one read from clamd may wait, including for its verdict after the last
     *     byte; a scan that runs longer is one that could not be done
     * @param connectTimeout how long connecting may take
     * @param streamMaxLength clamd's own {@code StreamMaxLength}: a larger object is never sent, since
     *     clamd would cut it off; keep the two equal (clamd 1.4 defaults to 100M)
     */
    public record Clamd(
            @DefaultValue("") String host,
            @DefaultValue("3310") int port,
            @DefaultValue("60s") Duration timeout,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue("100MB") DataSize streamMaxLength) {

        public Clamd {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("uploadguard.scanner.clamd.port must be 1-65535, was " + port);
            }
            if (timeout.toMillis() < 1 || connectTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("uploadguard.scanner.clamd timeouts must be positive");
            }
            if (streamMaxLength.toBytes() < 1) {
                throw new IllegalArgumentException("uploadguard.scanner.clamd.stream-max-length must be positive");
            }
        }

        public boolean configured() {
            return !host.isBlank();
        }
    }
}
