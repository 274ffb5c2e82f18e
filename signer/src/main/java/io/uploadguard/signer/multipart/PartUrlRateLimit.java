package io.uploadguard.signer.multipart;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How many part URLs a user may have minted: a token bucket per user holding {@code
 * part-urls-per-minute} tokens, refilled continuously over a minute. One URL, one token.
 *
 * <p>In memory, per signer instance: with N instances behind a load balancer a user gets up to N
 * times the rate. That is enough for its purpose (a client cannot make the signer presign without
 * end; every URL still locks its part's length, and the whole size is reserved in the ledger), and
 * costs no database round trip per page. Memory is bounded: at most {@code tracked-users} buckets,
 * and a bucket idle for a minute, full again by then, is dropped.
 */
@Component
class PartUrlRateLimit {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private final long capacity;
    private final Ticker ticker;
    private final Cache<String, Bucket> buckets;

    @Autowired
    PartUrlRateLimit(MultipartProperties properties) {
        this(properties.partUrlsPerMinute(), properties.trackedUsers(), Ticker.systemTicker());
    }

    PartUrlRateLimit(long perMinute, long trackedUsers, Ticker ticker) {
        this.capacity = perMinute;
        this.ticker = ticker;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(trackedUsers)
                .expireAfterAccess(Duration.ofMinutes(1))
                .ticker(ticker)
                .build();
    }

    /** Takes {@code count} tokens, or none and says how long until there are enough. */
    Optional<Duration> take(String userId, int count) {
        long now = ticker.read();
        Bucket bucket = buckets.get(userId, u -> new Bucket(capacity, now));
        return bucket.take(count, now, capacity);
    }

    /** Tokens and when they were last counted; refilled at {@code capacity} per minute. */
    private static final class Bucket {

        private double tokens;
        private long countedAt;

        Bucket(long capacity, long now) {
            this.tokens = capacity;
            this.countedAt = now;
        }

        synchronized Optional<Duration> take(int count, long now, long capacity) {
            double perNano = (double) capacity / MINUTE_NANOS;
            tokens = Math.min(capacity, tokens + (now - countedAt) * perNano);
            countedAt = now;
            if (tokens >= count) {
                tokens -= count;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((count - tokens) / perNano)));
        }
    }
}
