package io.uploadguard.enforcer.intake;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandlerFactory;
import io.awspring.cloud.sqs.listener.backpressure.BatchAwareBackPressureHandler;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When the listener asks SQS for messages, and for how many: at most {@code max-concurrent-messages}
 * in flight, one receive out at a time, and each receive for every slot free when it goes out.
 *
 * <p>Why not the library's limiter: Spring Cloud AWS's {@code ConcurrencyLimiterBlockingBackPressureHandler}
 * asks for a whole poll's worth of slots and waits (up to {@code maxDelayBetweenPolls}, 10 s) for
 * all of them before it takes fewer. With as many messages in flight as a poll brings (10 and 10,
 * the defaults) that is lock-step: ten messages received, the next receive only once the slowest of
 * the ten is done. Each object waits on S3 three times, so on AWS most of the ten slots sat idle
 * behind the slowest one (0.75x a plain loop of the same calls on as many threads, with 20 ms of
 * emulated S3 latency).
 *
 * <p>Why one receive at a time: a receive per freed slot (tried first) kept every slot busy but
 * made up to ten times the receives, whose CPU showed on a busy instance (0.89x the rate of the
 * lock-step limiter on two saturated cores). Slots that free up while a receive is out wait for its
 * answer and go into the next one, so the batches grow by themselves as the instance gets busier
 * (answers come later) and stay small while it is idle. An empty queue thus has one long poll out,
 * as with the library's throughput mode.
 *
 * <p>Only the container's single polling thread requests slots; the answer to each receive and
 * every processed message give them back.
 */
final class InFlightMessageLimit implements BatchAwareBackPressureHandler {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int max;
    private final int batchSize;
    private final Duration wait;
    private int free;
    private boolean receiving;

    /**
     * @param max messages in flight at most
     * @param batchSize messages one receive asks for at most (SQS: 10)
     * @param wait how long a request waits for a free slot and for the answer to the previous
     *     receive; after that it returns none (the container asks again) or, if the answer never came
     *     (a receive whose answer failed to convert), goes ahead without it
     */
    InFlightMessageLimit(int max, int batchSize, Duration wait) {
        if (max < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "at least one message in flight and per receive, not " + max + " and " + batchSize);
        }
        this.max = max;
        this.batchSize = batchSize;
        this.free = max;
        this.wait = wait;
    }

    /** For the listener container: its concurrency, its messages per poll and its longest wait. */
    static BackPressureHandlerFactory factory() {
        return options -> new InFlightMessageLimit(
                options.getMaxConcurrentMessages(), options.getMaxMessagesPerPoll(), options.getMaxDelayBetweenPolls());
    }

    @Override
    public int requestBatch() throws InterruptedException {
        return request(batchSize);
    }

    /**
     * Waits for the answer to the receive that is out, if any, and for one free slot; then takes
     * every slot free at that moment, up to {@code amount}.
     */
    @Override
    public int request(int amount) throws InterruptedException {
        if (amount < 1) {
            return 0;
        }
        lock.lock();
        try {
            long left = wait.toNanos();
            while (receiving && left > 0) {
                left = changed.awaitNanos(left);
            }
            while (free == 0) {
                if (left <= 0) {
                    return 0;
                }
                left = changed.awaitNanos(left);
            }
            int take = Math.min(amount, free);
            free -= take;
            receiving = true;
            return take;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code PROCESSED}: a message is done. Any other reason is the answer to a receive (its unused
     * slots, possibly none) or a receive that was not sent.
     */
    @Override
    public void release(int amount, ReleaseReason reason) {
        lock.lock();
        try {
            free += Math.max(0, amount);
            if (reason != ReleaseReason.PROCESSED) {
                receiving = false;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }

    /** Waits until nothing is in flight (shutdown). */
    @Override
    public boolean drain(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (free < max) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Slots free now (for tests and diagnostics). */
    int free() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }
}
