package io.uploadguard.enforcer;

import io.uploadguard.ledger.policy.ViolationAction;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where the enforcer works and how, bound from {@code uploadguard.*}.
 *
 * @param bucket the upload bucket
 * @param eventsQueue the queue S3 sends events to
 * @param deadLetterQueue its dead-letter queue, watched for the depth metric
 * @param enforcer the enforcer's own settings
 */
@ConfigurationProperties("uploadguard")
public record EnforcerProperties(
        @DefaultValue("uploadguard") String bucket,
        @DefaultValue("uploadguard-events") String eventsQueue,
        @DefaultValue("uploadguard-events-dlq") String deadLetterQueue,
        @DefaultValue Settings enforcer) {

    /**
     * @param sniffBytes how much of an object is read to detect its type (never the whole object)
     * @param maxConcurrentMessages messages processed at once by one instance
     * @param quarantineBucket a separate quarantine bucket; empty keeps quarantine in the upload bucket
     * @param unreservedAction what to do with objects no signer reserved
     * @param reservationGrace how long past its URL's expiry a reservation waits for its object's event
     * @param releaseInterval how often expired reservations are released
     * @param deadLetterPollInterval how often the dead-letter queue depth is read
     * @param pollRetryMax the longest wait between attempts to poll SQS while it cannot be reached
     * @param virtualThreads messages processed on virtual threads (JDK 21 or newer; ignored with a
     *     warning on older JDKs) instead of a pool of one platform thread per message in flight
     */
    public record Settings(
            @DefaultValue("8KB") DataSize sniffBytes,
            @DefaultValue("10") int maxConcurrentMessages,
            @DefaultValue("") String quarantineBucket,
            @DefaultValue("QUARANTINE") ViolationAction unreservedAction,
            @DefaultValue("2m") Duration reservationGrace,
            @DefaultValue("30s") Duration releaseInterval,
            @DefaultValue("30s") Duration deadLetterPollInterval,
            @DefaultValue("2s") Duration pollRetryMax,
            @DefaultValue("false") boolean virtualThreads) {

        public Settings {
            if (sniffBytes.toBytes() < 64 || sniffBytes.toBytes() > 1024 * 1024) {
                throw new IllegalArgumentException("uploadguard.enforcer.sniff-bytes must be between 64 B and 1 MB");
            }
            if (maxConcurrentMessages < 1) {
                throw new IllegalArgumentException("uploadguard.enforcer.max-concurrent-messages must be at least 1");
            }
            if (pollRetryMax.toMillis() < 100) {
                throw new IllegalArgumentException("uploadguard.enforcer.poll-retry-max must be at least 100ms");
            }
        }
    }

    public String quarantineBucketOrDefault() {
        return enforcer.quarantineBucket().isBlank() ? bucket : enforcer.quarantineBucket();
    }
}
