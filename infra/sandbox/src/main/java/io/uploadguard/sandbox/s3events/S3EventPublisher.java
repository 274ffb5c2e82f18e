package io.uploadguard.sandbox.s3events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Sends S3 event notifications to their queues in the background, in the order the writes
 * happened, as S3 does: a write's answer never waits for its event. A delivery that fails (the
 * queue server is down) is retried until it succeeds or the sandbox stops, so no event is lost
 * while the sandbox runs.
 *
 * <p>Events waiting for the same queue go out in batches of up to ten (SendMessageBatch), still
 * one message per event as S3 sends them: under load, one SQS call per event made this sender
 * a quarter of the sandbox's CPU. While events arrive faster than single calls deliver them (the
 * last batch held more than one), the sender waits up to {@link #LINGER} for a batch to fill: a
 * few milliseconds of delay under load, which S3's own delivery far exceeds, and none for an
 * event that comes alone.
 */
final class S3EventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3EventPublisher.class);
    /** S3Proxy's bookkeeping objects for multipart uploads: S3 has no such objects, so no events. */
    static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private static final int MAX_BATCH = 10;
    private static final Duration LINGER = Duration.ofMillis(10);

    private record Pending(String queueArn, String body) {}

    private final SqsClient sqs;
    private final NotificationRules rules;
    private final S3EventMessages messages;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread sender;
    // S3's sequencer is hex that grows with each change of a key; one counter for all keys keeps that.
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1_000);
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean closing;

    S3EventPublisher(SqsClient sqs, NotificationRules rules, S3EventMessages messages) {
        this.sqs = sqs;
        this.rules = rules;
        this.messages = messages;
        this.sender = new Thread(this::sendLoop, "s3-event-sender");
        sender.setDaemon(true);
        sender.start();
    }

    void objectChanged(String bucket, String key, String eventName, Long size, String eTag) {
        if (key.startsWith(MULTIPART_STUB_PREFIX)) {
            return;
        }
        var matching = rules.matching(bucket, eventName, key);
        if (matching.isEmpty()) {
            return;
        }
        var change = new S3EventMessages.ObjectChange(
                bucket,
                key,
                eventName,
                size,
                eTag,
                String.format(Locale.ROOT, "%018X", sequence.incrementAndGet()),
                Instant.now());
        for (var rule : matching) {
            pending.add(new Pending(rule.queueArn(), messages.objectEvent(change, rule.id())));
        }
    }

    void testEvent(String bucket, Collection<String> queueArns) {
        for (String arn : queueArns) {
            pending.add(new Pending(arn, messages.testEvent(bucket, Instant.now())));
        }
    }

    /** Resolves a queue ARN to its URL, failing if no such queue exists (as S3 refuses such a configuration). */
    String queueUrl(String queueArn) {
        return queueUrls.computeIfAbsent(queueArn, arn -> {
            String name = arn.substring(arn.lastIndexOf(':') + 1);
            return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        });
    }

    long sent() {
        return sent.get();
    }

    private void sendLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        Pending carried = null;
        boolean behind = false;
        while (true) {
            try {
                Pending first = carried != null ? carried : pending.poll(200, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.clear();
                batch.add(first);
                // the next events in order, while they go to the same queue
                long lingerUntil = System.nanoTime() + (behind ? LINGER.toNanos() : 0);
                Pending next;
                while (batch.size() < MAX_BATCH
                        && (next = pending.poll(lingerUntil - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
                    if (!next.queueArn().equals(first.queueArn())) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                }
                behind = batch.size() > 1;
                deliver(first.queueArn(), batch);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(String queueArn, List<Pending> batch) throws InterruptedException {
        Duration backoff = Duration.ofMillis(100);
        List<Pending> left = new ArrayList<>(batch);
        while (true) {
            try {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>(left.size());
                for (int i = 0; i < left.size(); i++) {
                    entries.add(SendMessageBatchRequestEntry.builder()
                            .id(Integer.toString(i))
                            .messageBody(left.get(i).body())
                            .build());
                }
                var result =
                        sqs.sendMessageBatch(r -> r.queueUrl(queueUrl(queueArn)).entries(entries));
                sent.addAndGet(result.successful().size());
                calls.incrementAndGet();
                if (result.failed().isEmpty()) {
                    return;
                }
                List<Pending> failed = new ArrayList<>();
                for (BatchResultErrorEntry error : result.failed()) {
                    failed.add(left.get(Integer.parseInt(error.id())));
                }
                left = failed;
                throw new IllegalStateException(failed.size() + " of the batch refused: "
                        + result.failed().get(0));
            } catch (RuntimeException e) {
                if (closing) {
                    log.error(
                            "{} events for {} not delivered: the sandbox is stopping ({})",
                            left.size(),
                            queueArn,
                            e.toString());
                    return;
                }
                log.warn(
                        "event delivery to {} failed, retrying in {} ms: {}",
                        queueArn,
                        backoff.toMillis(),
                        e.toString());
                Thread.sleep(backoff.toMillis()); // retry pacing of a background sender, not test synchronisation
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                        ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** Delivers what is pending (up to 10 s), then stops. */
    @Override
    public void close() {
        stopping = true;
        try {
            sender.join(10_000);
            if (sender.isAlive()) {
                closing = true;
                sender.interrupt();
                sender.join(5_000);
            }
        } catch (InterruptedException e) {
            sender.interrupt();
            Thread.currentThread().interrupt();
        }
        log.info("S3 events: {} delivered in {} SendMessageBatch calls", sent.get(), calls.get());
    }
}
