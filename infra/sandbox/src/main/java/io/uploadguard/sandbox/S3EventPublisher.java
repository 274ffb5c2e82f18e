package io.uploadguard.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends S3 event notifications to their queues in the background, in the order the writes
 * happened, as S3 does: a write's answer never waits for its event. A delivery that fails (the
 * queue server is down) is retried until it succeeds or the sandbox stops, so no event is lost
 * while the sandbox runs.
 */
final class S3EventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3EventPublisher.class);
    /** S3Proxy's bookkeeping objects for multipart uploads: S3 has no such objects, so no events. */
    static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private final SqsClient sqs;
    private final NotificationRules rules;
    private final S3EventMessages messages;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "s3-event-sender");
        t.setDaemon(true);
        return t;
    });
    // S3's sequencer is hex that grows with each change of a key; one counter for all keys keeps that.
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1_000);
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean closing;

    S3EventPublisher(SqsClient sqs, NotificationRules rules, S3EventMessages messages) {
        this.sqs = sqs;
        this.rules = rules;
        this.messages = messages;
    }

    void objectChanged(String bucket, String key, String eventName, Long size, String eTag) {
        if (key.startsWith(MULTIPART_STUB_PREFIX)) {
            return;
        }
        var matching = rules.matching(bucket, eventName, key);
        if (matching.isEmpty()) {
            return;
        }
        var change = new S3EventMessages.ObjectChange(bucket, key, eventName, size, eTag,
                String.format(Locale.ROOT, "%018X", sequence.incrementAndGet()), Instant.now());
        for (var rule : matching) {
            String body = messages.objectEvent(change, rule.id());
            sender.execute(() -> deliver(rule.queueArn(), body));
        }
    }

    void testEvent(String bucket, Collection<String> queueArns) {
        for (String arn : queueArns) {
            String body = messages.testEvent(bucket, Instant.now());
            sender.execute(() -> deliver(arn, body));
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

    private void deliver(String queueArn, String body) {
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                sqs.sendMessage(r -> r.queueUrl(queueUrl(queueArn)).messageBody(body));
                sent.incrementAndGet();
                return;
            } catch (RuntimeException e) {
                if (closing) {
                    log.error("event for {} not delivered: the sandbox is stopping ({})", queueArn, e.toString());
                    return;
                }
                log.warn("event delivery to {} failed, retrying in {} ms: {}", queueArn, backoff.toMillis(), e.toString());
                try {
                    Thread.sleep(backoff.toMillis()); // retry pacing of a background sender, not test synchronisation
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                        ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
            }
        }
    }

    /** Delivers what is pending (up to 10 s), then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
                closing = true;
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
