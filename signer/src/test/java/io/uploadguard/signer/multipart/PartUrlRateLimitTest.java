package io.uploadguard.signer.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PartUrlRateLimitTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private final PartUrlRateLimit limit = new PartUrlRateLimit(60, 1000, ticker);

    @Test
    void aUserMayMintTheMinutesAllowanceThenWaitsForTokens() {
        assertThat(limit.take("alice", 40)).isEmpty();
        assertThat(limit.take("alice", 20)).isEmpty();

        assertThat(limit.take("alice", 10))
                .hasValueSatisfying(
                        wait -> assertThat(wait).isBetween(Duration.ofMillis(9_900), Duration.ofSeconds(10)));
        assertThat(limit.take("bob", 60)).as("each user has a bucket").isEmpty();
    }

    @Test
    void tokensComeBackAtTheMinutesRate() {
        assertThat(limit.take("alice", 60)).isEmpty();

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());

        assertThat(limit.take("alice", 5)).isEmpty();
        assertThat(limit.take("alice", 1)).isPresent();
    }

    @Test
    void anIdleBucketIsFullAgainAndNeverAboveTheAllowance() {
        assertThat(limit.take("alice", 60)).isEmpty();

        nanos.addAndGet(Duration.ofMinutes(10).toNanos());

        assertThat(limit.take("alice", 60)).isEmpty();
        assertThat(limit.take("alice", 1)).isPresent();
    }
}
