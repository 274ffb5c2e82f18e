package io.uploadguard.ledger.policy;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One user's limits.
 *
 * @param maxBytes bytes a user may hold, used and reserved together
 * @param maxObjects objects a user may hold, used and reserved together
 * @param maxSignedUrlsPerMinute signed URLs per fixed one-minute window
 * @param violationsBeforeBlock the violation count at which the user is blocked
 * @param blockDuration how long a block lasts
 */
public record Quota(
        @DefaultValue("1073741824") long maxBytes,
        @DefaultValue("1000") long maxObjects,
        @DefaultValue("60") int maxSignedUrlsPerMinute,
        @DefaultValue("3") int violationsBeforeBlock,
        @DefaultValue("1h") Duration blockDuration) {

    public static final Quota DEFAULT = new Quota(1L << 30, 1000, 60, 3, Duration.ofHours(1));

    public Quota {
        requirePositive("max-bytes", maxBytes);
        requirePositive("max-objects", maxObjects);
        requirePositive("max-signed-urls-per-minute", maxSignedUrlsPerMinute);
        requirePositive("violations-before-block", violationsBeforeBlock);
        if (blockDuration == null || blockDuration.isNegative() || blockDuration.isZero()) {
            throw new IllegalArgumentException("block-duration must be more than 0, was " + blockDuration);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be more than 0, was " + value);
        }
    }
}
