package io.uploadguard.enforcer.intake;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler;
import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandlerFactory;
import io.awspring.cloud.sqs.listener.backpressure.CompositeBackPressureHandler;
import io.awspring.cloud.sqs.listener.backpressure.ThroughputBackPressureHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps at most {@code max-concurrent-messages} messages in flight and polls SQS for as many as are
 * free <em>as soon as one is</em>.
 *
 * <p>Why not the library's limiter: Spring Cloud AWS's {@code ConcurrencyLimiterBlockingBackPressureHandler}
 * asks for a whole poll's worth of permits and waits (up to {@code maxDelayBetweenPolls}, 10 s) for
 * all of them before taking fewer. With as many messages in flight as a poll brings (10 and 10, the
 * defaults) that is lock-step: ten messages received, the next receive only once the slowest of the
 * ten is done. Each object waits on S3 three times, so on AWS most of the ten slots sat idle behind
 * the slowest one; measured with 20 ms of emulated S3 latency, the enforcer did 0.75x the rate of a
 * plain loop of the same calls on as many threads.
 *
 * <p>Whether to poll at all still follows the queue: the library's {@link ThroughputBackPressureHandler}
 * comes second in the chain, so while the queue is empty one receive (a long poll) is out at a time,
 * and as soon as a receive brings messages every free slot is polled for.
 *
 * <p>Only the container's single polling thread requests permits; message threads release them.
 */
final class InFlightMessageLimit implements BackPressureHandler {

    private final Semaphore free;
    private final int max;
    private final Duration wait;

    /**
     * @param max messages in flight at most
     * @param wait how long a request waits for the first free slot before it returns none (the
     *     container asks again)
     */
    InFlightMessageLimit(int max, Duration wait) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one message in flight, not " + max);
        }
        this.max = max;
        this.free = new Semaphore(max);
        this.wait = wait;
    }

    /** The chain the enforcer's listener container uses: this limit, then the library's throughput mode. */
    static BackPressureHandlerFactory factory() {
        return options -> CompositeBackPressureHandler.builder()
                .batchSize(options.getMaxMessagesPerPoll())
                .noPermitsReturnedWaitTimeout(options.getMaxDelayBetweenPolls())
                .backPressureHandlers(List.of(
                        new InFlightMessageLimit(options.getMaxConcurrentMessages(), options.getMaxDelayBetweenPolls()),
                        ThroughputBackPressureHandler.builder()
                                .batchSize(options.getMaxMessagesPerPoll())
                                .build()))
                .build();
    }

    /**
     * Waits for one free slot at most {@code wait}, then takes every other slot free at that moment,
     * up to {@code amount}; never waits for more.
     */
    @Override
    public int request(int amount) throws InterruptedException {
        if (amount < 1 || !free.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return 0;
        }
        int more = Math.min(amount - 1, free.availablePermits());
        // releases only add permits, so what was available is still there
        if (more > 0 && !free.tryAcquire(more)) {
            more = 0;
        }
        return 1 + more;
    }

    @Override
    public void release(int amount, ReleaseReason reason) {
        if (amount > 0) {
            free.release(amount);
        }
    }

    /** Waits until nothing is in flight (shutdown). */
    @Override
    public boolean drain(Duration timeout) {
        try {
            return free.tryAcquire(max, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Slots free now (for tests and diagnostics). */
    int free() {
        return free.availablePermits();
    }
}
