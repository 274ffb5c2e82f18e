package io.uploadguard.sandbox;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A local stand-in for the AWS parts UploadGuard uses, made of real servers on loopback: S3Proxy
 * (S3 API, verifying SigV4 signatures), ElasticMQ (SQS API, with a dead-letter queue), embedded
 * PostgreSQL, and S3 event notifications in AWS's format from every write to the queue.
 *
 * <p>Either every part starts or none stays running: a failed start stops what had started.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    private static final String ACCOUNT_ID = "000000000000";

    private final SandboxConfig config;
    private final Deque<AutoCloseable> parts;
    private final SandboxEndpoints endpoints;
    private final NotificationRules rules;
    private final S3EventPublisher publisher;
    private final Duration startupTime;

    private Sandbox(
            SandboxConfig config,
            Deque<AutoCloseable> parts,
            SandboxEndpoints endpoints,
            NotificationRules rules,
            S3EventPublisher publisher,
            Duration startupTime) {
        this.config = config;
        this.parts = parts;
        this.endpoints = endpoints;
        this.rules = rules;
        this.publisher = publisher;
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
                    CompletableFuture.supplyAsync(() -> startPostgres(config, pgPort));
            try {
                String sqsEndpoint = "http://" + config.host() + ":" + sqsPort;
                // ElasticMQ listens on a private port behind a relay on the public one: a fault test
                // can cut the relay (SQS unreachable) without losing the in-memory queues, and the
                // sandbox's own S3 notifications keep reaching SQS meanwhile, as AWS's do.
                int sqsServerPort = reservePort(config.host(), 0, "SQS (behind the relay)");
                SQSRestServer sqsServer = startSqs(config, sqsServerPort, sqsPort);
                parts.push(sqsServer::stopAndWait);
                Restartable sqsRelay =
                        new Restartable("SQS", () -> TcpRelay.start(config.host(), sqsPort, sqsServerPort));
                sqsRelay.start();
                parts.push(sqsRelay);

                SqsClient sqs = SqsClient.builder()
                        .endpointOverride(URI.create("http://" + config.host() + ":" + sqsServerPort))
                        .region(Region.of(config.region()))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(config.accessKey(), config.secretKey())))
                        .build();
                parts.push(sqs);
                Queues queues = createQueues(sqs, config);

                NotificationRules rules = new NotificationRules();
                S3EventPublisher publisher = new S3EventPublisher(
                        sqs, rules, new S3EventMessages(config.region(), "AWS:" + config.accessKey()));
                parts.push(publisher);

                String s3Endpoint = "http://" + config.host() + ":" + s3Port;
                BlobStore stored = blobStore(config);
                if (!config.s3Latency().isZero()) {
                    stored = new LatencyBlobStore(stored, config.s3Latency());
                }
                BlobStore store = new NotifyingBlobStore(stored, publisher);
                Restartable s3 = new Restartable("S3", () -> {
                    S3Proxy proxy = S3Proxy.builder()
                            .blobStore(store)
                            .endpoint(URI.create(s3Endpoint))
                            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, config.accessKey(), config.secretKey())
                            .corsRules(cors(config.corsOrigins()))
                            .build();
                    proxy.start();
                    return proxy::stop;
                });
                s3.start();
                parts.push(s3);
                for (String bucket : buckets(config)) {
                    store.createContainer(bucket);
                }

                EmbeddedPostgres pg = postgres.join();
                createDatabase(pg, config.database());
                Restartable postgresServer = Restartable.running("PostgreSQL", pg, () -> startPostgres(config, pgPort));
                parts.push(postgresServer);
                SandboxControl control = SandboxControl.start(
                        config.host(), java.util.Map.of("s3", s3, "postgres", postgresServer, "sqs", sqsRelay));
                parts.push(control);

                SandboxEndpoints endpoints = new SandboxEndpoints(
                        config.region(),
                        config.accessKey(),
                        config.secretKey(),
                        s3Endpoint,
                        sqsEndpoint,
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
                Sandbox sandbox = new Sandbox(
                        config, parts, endpoints, rules, publisher, Duration.ofNanos(System.nanoTime() - started));
                sandbox.putNotificationConfiguration(
                        config.bucket(),
                        config.notificationsFile()
                                .map(Sandbox::readNotifications)
                                .orElseGet(() -> NotificationRules.uploadGuardDefaults(queues.eventsArn())));
                return sandbox;
            } catch (RuntimeException | Error e) {
                // make sure PostgreSQL is stopped too, even if it is still starting
                postgres.thenAccept(Sandbox::closeQuietly);
                throw e;
            }
        } catch (Exception e) {
            stopAll(parts);
            throw new SandboxStartException(rootMessage(e), e);
        }
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
        return publisher.sent();
    }

    /**
     * Replaces a bucket's notification configuration, as S3's PutBucketNotificationConfiguration
     * does: overlapping rules and unknown queues are refused, and every destination gets an
     * {@code s3:TestEvent}.
     */
    public void putNotificationConfiguration(String bucket, NotificationConfiguration configuration) {
        Set<String> arns = new LinkedHashSet<>();
        configuration.queueConfigurations().forEach(q -> arns.add(q.queueArn()));
        for (String arn : arns) {
            try {
                publisher.queueUrl(arn);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Unable to validate the following destination " + "configurations: no queue " + arn, e);
            }
        }
        rules.put(bucket, configuration);
        publisher.testEvent(bucket, arns);
    }

    @Override
    public void close() {
        stopAll(parts);
    }

    private record Queues(String eventsUrl, String eventsArn, String deadLetterUrl, String deadLetterArn) {}

    private static Queues createQueues(SqsClient sqs, SandboxConfig config) {
        String dlqUrl = sqs.createQueue(r -> r.queueName(config.deadLetterQueue())
                        .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")))
                .queueUrl();
        String dlqArn = arn(sqs, dlqUrl);
        String redrive =
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + config.maxReceiveCount() + "\"}";
        String url = sqs.createQueue(r -> r.queueName(config.eventsQueue())
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Long.toString(config.visibilityTimeout().toSeconds()),
                                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                                "345600",
                                QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                                "262144",
                                QueueAttributeName.REDRIVE_POLICY,
                                redrive)))
                .queueUrl();
        return new Queues(url, arn(sqs, url), dlqUrl, dlqArn);
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private static SQSRestServer startSqs(SandboxConfig config, int port, int publicPort) {
        SQSRestServer server = SQSRestServerBuilder.withInterface(config.host())
                .withPort(port)
                // queue URLs must name the port clients use (the relay's), not ElasticMQ's default 9324
                .withServerAddress(new NodeAddress("http", config.host(), publicPort, ""))
                .withAWSRegion(config.region())
                .withAWSAccountId(ACCOUNT_ID)
                .start();
        server.waitUntilStarted();
        return server;
    }

    private static BlobStore blobStore(SandboxConfig config) throws IOException {
        if (config.storageDir().isEmpty()) {
            return new TransientNio2BlobStore();
        }
        Path dir = config.storageDir().get();
        Files.createDirectories(dir);
        return new FilesystemNio2BlobStore(dir.toAbsolutePath().toString());
    }

    private static CrossOriginResourceSharing cors(List<String> origins) {
        // S3Proxy reads origins as regular expressions; ours are literal origins or "*"
        List<String> patterns =
                origins.stream().map(o -> o.equals("*") ? o : Pattern.quote(o)).toList();
        return new CrossOriginResourceSharing(
                patterns,
                List.of("GET", "HEAD", "PUT"),
                List.of("*"),
                List.of("ETag", "x-amz-request-id", "x-amz-version-id"),
                "");
    }

    private static List<String> buckets(SandboxConfig config) {
        return Stream.concat(Stream.of(config.bucket()), config.extraBuckets().stream())
                .distinct()
                .toList();
    }

    private static EmbeddedPostgres startPostgres(SandboxConfig config, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(config.workDir().resolve("postgres"))
                    // kept on stop, so that a fault test can restart the server with its data;
                    // prepareWorkDir wipes it before each sandbox start
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", config.host())
                    .setServerConfig("max_connections", "300")
                    // a throw-away database: durability only costs time here
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    private static void createDatabase(EmbeddedPostgres pg, String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case identifier: " + database);
        }
        try (Connection c = pg.getPostgresDatabase().getConnection();
                var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
    }

    private static NotificationConfiguration readNotifications(Path file) {
        try {
            return NotificationRules.parseJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read notification configuration " + file, e);
        }
    }

    /** Checks a fixed port is free, or picks a free one, so a taken port fails with a clear message. */
    private static int reservePort(String host, int port, String what) {
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
            closeQuietly(parts.pop());
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.warn("error while stopping a sandbox part: {}", e.toString());
        }
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
