package io.uploadguard.sandbox;

import io.uploadguard.sandbox.client.CommandLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The sandbox's command line, over {@link SandboxConfig#defaults()}. */
@Command(
        name = "run-sandbox",
        mixinStandardHelpOptions = true,
        version = "UploadGuard sandbox",
        sortOptions = false,
        description = "Runs S3 (S3Proxy), SQS (ElasticMQ), PostgreSQL and S3 event notifications on loopback.")
final class SandboxOptions {

    @Option(names = "--host", paramLabel = "ADDR", description = "address to listen on (${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--s3-port",
            paramLabel = "N",
            converter = CommandLines.Port.class,
            description = "S3 port, 0 = free port (${DEFAULT-VALUE})")
    int s3Port;

    @Option(
            names = "--sqs-port",
            paramLabel = "N",
            converter = CommandLines.Port.class,
            description = "SQS port, 0 = free port (${DEFAULT-VALUE})")
    int sqsPort;

    @Option(
            names = "--postgres-port",
            paramLabel = "N",
            converter = CommandLines.Port.class,
            description = "PostgreSQL port, 0 = free port (${DEFAULT-VALUE})")
    int postgresPort;

    @Option(names = "--region", paramLabel = "NAME", description = "region in ARNs and events (${DEFAULT-VALUE})")
    String region;

    @Option(names = "--access-key", paramLabel = "KEY", description = "S3/SQS access key (${DEFAULT-VALUE})")
    String accessKey;

    @Option(names = "--secret-key", paramLabel = "SECRET", description = "S3/SQS secret key (${DEFAULT-VALUE})")
    String secretKey;

    @Option(names = "--bucket", paramLabel = "NAME", description = "bucket to create and watch (${DEFAULT-VALUE})")
    String bucket;

    @Option(names = "--extra-bucket", paramLabel = "NAME", description = "another bucket to create, repeatable")
    List<String> extraBuckets = new ArrayList<>();

    @Option(names = "--events-queue", paramLabel = "NAME", description = "queue for S3 events (${DEFAULT-VALUE})")
    String eventsQueue;

    @Option(
            names = "--dead-letter-queue",
            paramLabel = "NAME",
            description = "its dead-letter queue (${DEFAULT-VALUE})")
    String deadLetterQueue;

    @Option(
            names = "--max-receive-count",
            paramLabel = "N",
            converter = CommandLines.WholeNumber.class,
            description = "receives before a message moves to the DLQ (${DEFAULT-VALUE})")
    int maxReceiveCount;

    @Option(
            names = "--visibility-timeout",
            paramLabel = "SECS",
            converter = CommandLines.WholeNumber.class,
            description = "events queue visibility timeout (${DEFAULT-VALUE})")
    int visibilityTimeoutSeconds;

    @Option(
            names = "--storage-dir",
            paramLabel = "DIR",
            description = "keep objects on disk in DIR (default: in memory)")
    Path storageDir;

    @Option(
            names = "--notifications",
            paramLabel = "FILE",
            description = "S3 NotificationConfiguration JSON for --bucket")
    Path notificationsFile;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "origin allowed by CORS, repeatable (*)")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--database", paramLabel = "NAME", description = "PostgreSQL database to create (${DEFAULT-VALUE})")
    String database;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "state folder, wiped on start (${DEFAULT-VALUE})")
    Path workDir;

    @Option(
            names = "--endpoints-file",
            paramLabel = "FILE",
            description = "where to write the endpoints JSON (env " + SandboxConfig.ENDPOINTS_FILE_ENV
                    + ", else WORK_DIR/sandbox-endpoints.json)")
    Path endpointsFile;

    @Option(names = "--exit-when-stdin-closes", description = "stop when standard input closes (for parent processes)")
    boolean exitWhenStdinCloses;

    @Option(
            names = "--s3-latency",
            paramLabel = "MS",
            converter = CommandLines.WholeNumber.class,
            description = "added to every S3 object operation, as a network would (${DEFAULT-VALUE})")
    int s3LatencyMillis;

    private final SandboxConfig defaults;

    SandboxOptions(SandboxConfig d, Map<String, String> env) {
        this.defaults = d;
        host = d.host();
        s3Port = d.s3Port();
        sqsPort = d.sqsPort();
        postgresPort = d.postgresPort();
        region = d.region();
        accessKey = d.accessKey();
        secretKey = d.secretKey();
        bucket = d.bucket();
        eventsQueue = d.eventsQueue();
        deadLetterQueue = d.deadLetterQueue();
        maxReceiveCount = d.maxReceiveCount();
        visibilityTimeoutSeconds = (int) d.visibilityTimeout().toSeconds();
        database = d.database();
        workDir = d.workDir();
        endpointsFile = Optional.ofNullable(env.get(SandboxConfig.ENDPOINTS_FILE_ENV))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .orElse(null);
        s3LatencyMillis = (int) d.s3Latency().toMillis();
    }

    SandboxConfig config() {
        atLeastOne("--max-receive-count", maxReceiveCount);
        atLeastOne("--visibility-timeout", visibilityTimeoutSeconds);
        return new SandboxConfig(
                host,
                s3Port,
                sqsPort,
                postgresPort,
                region,
                accessKey,
                secretKey,
                bucket,
                extraBuckets,
                eventsQueue,
                deadLetterQueue,
                maxReceiveCount,
                Duration.ofSeconds(visibilityTimeoutSeconds),
                Optional.ofNullable(storageDir),
                Optional.ofNullable(notificationsFile),
                corsOrigins.isEmpty() ? defaults.corsOrigins() : corsOrigins,
                database,
                workDir,
                Optional.ofNullable(endpointsFile),
                exitWhenStdinCloses,
                Duration.ofMillis(s3LatencyMillis));
    }

    private static void atLeastOne(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + value);
        }
    }
}
