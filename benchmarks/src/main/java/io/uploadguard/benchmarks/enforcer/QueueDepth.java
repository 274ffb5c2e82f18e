package io.uploadguard.benchmarks.enforcer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many messages the sandbox's events queue holds (visible and in flight), from ElasticMQ's
 * {@code GetQueueAttributes} in the SQS query protocol: a plain form POST, so the harness needs no
 * SQS client (ElasticMQ does not check signatures).
 */
final class QueueDepth {

    private static final Pattern ATTRIBUTE =
            Pattern.compile("<Name>(ApproximateNumberOfMessages(?:NotVisible)?)</Name>\\s*<Value>(\\d+)</Value>");

    private QueueDepth() {}

    /** Visible plus in-flight messages of the events queue, or -1 if the queue server did not answer. */
    static long of(BenchContext ctx) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ctx.endpoints.eventsQueueUrl()))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetQueueAttributes&Version=2012-11-05"
                        + "&AttributeName.1=ApproximateNumberOfMessages"
                        + "&AttributeName.2=ApproximateNumberOfMessagesNotVisible"))
                .build();
        try {
            HttpResponse<String> response = ctx.http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            long total = 0;
            Matcher m = ATTRIBUTE.matcher(response.body());
            while (m.find()) {
                total += Long.parseLong(m.group(2));
            }
            return total;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits (at most {@code timeout}) until the queue holds {@code depth} messages or more; returns the last depth. */
    static long awaitAtLeast(BenchContext ctx, long depth, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long now = of(ctx);
        while (now < depth && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling period, bounded by the deadline
            now = of(ctx);
        }
        return now;
    }
}
