package io.uploadguard.sandbox;

import io.uploadguard.sandbox.client.Quietly;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.faults.Restartable;
import io.uploadguard.sandbox.faults.SandboxControl;
import io.uploadguard.sandbox.s3events.S3Events;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;

/**
 * A local stand-in for the AWS parts UploadGuard uses, made of real servers on loopback: S3Proxy
 * (S3 API, verifying SigV4 signatures), ElasticMQ (SQS API, with a dead-letter queue), embedded
 * PostgreSQL, and S3 event notifications in AWS's format from every write to the queue.
 *
 * <p>Either every part starts or none stays running: a failed start stops what had started.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

    private final SandboxConfig config;
    private final Deque<AutoCloseable> parts;
    private final SandboxEndpoints endpoints;
    private final S3Events events;
    private final Duration startupTime;

    private Sandbox(
            SandboxConfig config,
            Deque<AutoCloseable> parts,
            SandboxEndpoints endpoints,
            S3Events events,
            Duration startupTime) {
        this.config = config;
        this.parts = parts;
        this.endpoints = endpoints;
        this.events = events;
        this.startupTime = startupTime;
    }

    public static Sandbox start(SandboxConfig config) {
        long started = System.nanoTime();
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            prepareWorkDir(config.workDir());
            int s3Port = reservePort(config.host(), config.s3Port(), "S3");
            int sqsPort = reservePort(config.host(), config.sqsPort(), "SQS");
            int pgPort = reservePort(config.host(), config.postgresPort(), "PostgreSQL");
            // PostgreSQL takes the longest to start: let it run while the other two come up
            CompletableFuture<EmbeddedPostgres> postgres =
                    CompletableFuture.supplyAsync(() -> SandboxPostgres.start(config, pgPort));
            try {
                SandboxQueues queues = SandboxQueues.start(config, sqsPort, parts);
                S3Events events = new S3Events(queues.client(), config.region(), "AWS:" + config.accessKey());
                parts.push(events);
                Restartable s3 = SandboxS3.start(config, s3Port, events, parts);
                Restartable pg = SandboxPostgres.adopt(postgres.join(), config, pgPort, parts);
                SandboxControl control =
                        SandboxControl.start(config.host(), Map.of("s3", s3, "postgres", pg, "sqs", queues.relay()));
                parts.push(control);
                SandboxEndpoints endpoints =
                        endpoints(config, SandboxS3.endpoint(config, s3Port), queues, pgPort, control);
                Sandbox sandbox =
                        new Sandbox(config, parts, endpoints, events, Duration.ofNanos(System.nanoTime() - started));
                sandbox.putNotificationConfiguration(config.bucket(), notifications(config, queues.eventsArn()));
                return sandbox;
            } catch (RuntimeException | Error e) {
                // make sure PostgreSQL is stopped too, even if it is still starting
                postgres.thenAccept(pg -> Quietly.close(pg, Sandbox::stopFailed));
                throw e;
            }
        } catch (Exception e) {
            stopAll(parts);
            throw new SandboxStartException(rootMessage(e), e);
        }
    }

    private static SandboxEndpoints endpoints(
            SandboxConfig config, String s3Endpoint, SandboxQueues queues, int pgPort, SandboxControl control) {
        return new SandboxEndpoints(
                config.region(),
                config.accessKey(),
                config.secretKey(),
                s3Endpoint,
                queues.endpoint(),
                config.bucket(),
                config.eventsQueue(),
                queues.eventsUrl(),
                queues.eventsArn(),
                config.deadLetterQueue(),
                queues.deadLetterUrl(),
                queues.deadLetterArn(),
                config.maxReceiveCount(),
                "jdbc:postgresql://" + config.host() + ":" + pgPort + "/" + config.database(),
                "postgres",
                "postgres",
                control.endpoint());
    }

    private static NotificationConfiguration notifications(SandboxConfig config, String eventsArn) {
        return config.notificationsFile()
                .map(Sandbox::readNotifications)
                .orElseGet(() -> S3Events.uploadGuardDefaults(eventsArn));
    }

    public SandboxEndpoints endpoints() {
        return endpoints;
    }

    public SandboxConfig config() {
        return config;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** Event notifications handed to SQS so far. */
    public long eventsSent() {
        return events.sent();
    }

    /**
     * Replaces a bucket's notification configuration, as S3's PutBucketNotificationConfiguration
     * does: overlapping rules and unknown queues are refused, and every destination gets an
     * {@code s3:TestEvent}.
     */
    public void putNotificationConfiguration(String bucket, NotificationConfiguration configuration) {
        events.put(bucket, configuration);
    }

    @Override
    public void close() {
        stopAll(parts);
    }

    private static NotificationConfiguration readNotifications(Path file) {
        try {
            return S3Events.parseJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read notification configuration " + file, e);
        }
    }

    /** Checks a fixed port is free, or picks a free one, so a taken port fails with a clear message. */
    static int reservePort(String host, int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new SandboxStartException(
                    port == 0
                            ? "no free port on " + host + " for " + what + ": " + e.getMessage()
                            : "port " + port + " on " + host + " is taken (" + what
                                    + "); stop what uses it or choose another port",
                    e);
        }
    }

    private static void prepareWorkDir(Path workDir) throws IOException {
        Path pgData = workDir.resolve("postgres");
        if (Files.exists(pgData)) {
            try (Stream<Path> files = Files.walk(pgData)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(workDir);
    }

    private static void stopAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            Quietly.close(parts.pop(), Sandbox::stopFailed);
        }
    }

    private static void stopFailed(Exception e) {
        log.warn("error while stopping a sandbox part: {}", e.toString());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof UncheckedIOException)
                && t.getCause() != null
                && t.getMessage() == null) {
            t = t.getCause();
        }
        if (t instanceof SandboxStartException) {
            return t.getMessage();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
