package io.uploadguard.enforcer.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a delivery again: the first back-off after the first failed attempt, doubled after
 * each further one up to the longest, then drawn at random between half and all of it, so that
 * the deliveries that failed together (a receiver down) do not all come back at the same moment.
 */
record RetryBackoff(Duration first, Duration max) {

    Instant nextAttempt(int failedAttempts, Instant now) {
        Duration delay = first;
        for (int i = 1; i < failedAttempts && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        if (delay.compareTo(max) > 0) {
            delay = max;
        }
        long millis = delay.toMillis();
        long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        return now.plusMillis(jittered);
    }
}
