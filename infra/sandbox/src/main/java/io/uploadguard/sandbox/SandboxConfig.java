package io.uploadguard.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a sandbox. Port 0 means "pick a free one". Every field has a default that suits
 * tests and the local launcher; {@link #fromArgs} lets the command line change each of them.
 *
 * @param storageDir where S3 objects live; empty keeps them in memory
 * @param notificationsFile an S3 {@code NotificationConfiguration} in AWS's JSON form for
 *     {@code bucket}; empty means {@link NotificationRules#uploadGuardDefaults}
 * @param corsOrigins origins allowed to call the S3 endpoint from a browser ("*" for any)
 * @param s3Latency added to every S3 object operation, to stand in for a network (benchmarks)
 */
public record SandboxConfig(
        String host,
        int s3Port,
        int sqsPort,
        int postgresPort,
        String region,
        String accessKey,
        String secretKey,
        String bucket,
        List<String> extraBuckets,
        String eventsQueue,
        String deadLetterQueue,
        int maxReceiveCount,
        Duration visibilityTimeout,
        Optional<Path> storageDir,
        Optional<Path> notificationsFile,
        List<String> corsOrigins,
        String database,
        Path workDir,
        Optional<Path> endpointsFile,
        boolean exitWhenStdinCloses,
        Duration s3Latency) {

    public static final String ENDPOINTS_FILE_ENV = "UPLOADGUARD_SANDBOX_ENDPOINTS_FILE";

    public SandboxConfig {
        extraBuckets = List.copyOf(extraBuckets);
        corsOrigins = List.copyOf(corsOrigins);
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("max receive count must be at least 1");
        }
        if (s3Latency.isNegative()) {
            throw new IllegalArgumentException("S3 latency must not be negative");
        }
    }

    public static SandboxConfig defaults() {
        return new SandboxConfig(
                "127.0.0.1",
                0,
                0,
                0,
                "us-east-1",
                "sandbox-access-key",
                "sandbox-secret-key",
                "uploadguard",
                List.of(),
                "uploadguard-events",
                "uploadguard-events-dlq",
                5,
                Duration.ofSeconds(30),
                Optional.empty(),
                Optional.empty(),
                List.of("*"),
                "uploadguard",
                Path.of("work", "sandbox"),
                Optional.empty(),
                false,
                Duration.ZERO);
    }

    public Path endpointsFileOrDefault() {
        return endpointsFile.orElse(workDir.resolve("sandbox-endpoints.json"));
    }

    public SandboxConfig withWorkDir(Path dir) {
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
                visibilityTimeout,
                storageDir,
                notificationsFile,
                corsOrigins,
                database,
                dir,
                endpointsFile,
                exitWhenStdinCloses,
                s3Latency);
    }

    public SandboxConfig withMaxReceiveCount(int count) {
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
                count,
                visibilityTimeout,
                storageDir,
                notificationsFile,
                corsOrigins,
                database,
                workDir,
                endpointsFile,
                exitWhenStdinCloses,
                s3Latency);
    }

    static final String USAGE = """
            usage: sandbox [options]
              --host ADDR                  address to listen on (127.0.0.1)
              --s3-port N                  S3 port, 0 = free port (0)
              --sqs-port N                 SQS port, 0 = free port (0)
              --postgres-port N            PostgreSQL port, 0 = free port (0)
              --region NAME                region in ARNs and events (us-east-1)
              --access-key KEY             S3/SQS access key (sandbox-access-key)
              --secret-key SECRET          S3/SQS secret key (sandbox-secret-key)
              --bucket NAME                bucket to create and watch (uploadguard)
              --extra-bucket NAME          another bucket to create, repeatable
              --events-queue NAME          queue for S3 events (uploadguard-events)
              --dead-letter-queue NAME     its dead-letter queue (uploadguard-events-dlq)
              --max-receive-count N        receives before a message moves to the DLQ (5)
              --visibility-timeout SECS    events queue visibility timeout (30)
              --storage-dir DIR            keep objects on disk in DIR (default: in memory)
              --notifications FILE         S3 NotificationConfiguration JSON for --bucket
              --cors-origin ORIGIN         origin allowed by CORS, repeatable (*)
              --database NAME              PostgreSQL database to create (uploadguard)
              --work-dir DIR               state folder, wiped on start (work/sandbox)
              --endpoints-file FILE        where to write the endpoints JSON
                                           (env UPLOADGUARD_SANDBOX_ENDPOINTS_FILE, else WORK_DIR/sandbox-endpoints.json)
              --exit-when-stdin-closes     stop when standard input closes (for parent processes)
              --s3-latency MS              added to every S3 object operation, as a network would (0)
            """;

    /** Parses command-line options over the defaults; throws {@link IllegalArgumentException} with a clear message. */
    public static SandboxConfig fromArgs(String[] args, Map<String, String> env) {
        SandboxConfig d = defaults();
        String host = d.host;
        int s3Port = d.s3Port;
        int sqsPort = d.sqsPort;
        int pgPort = d.postgresPort;
        String region = d.region;
        String accessKey = d.accessKey;
        String secretKey = d.secretKey;
        String bucket = d.bucket;
        List<String> extraBuckets = new ArrayList<>();
        String eventsQueue = d.eventsQueue;
        String dlq = d.deadLetterQueue;
        int maxReceive = d.maxReceiveCount;
        Duration visibility = d.visibilityTimeout;
        Optional<Path> storage = d.storageDir;
        Optional<Path> notifications = d.notificationsFile;
        List<String> cors = new ArrayList<>();
        String database = d.database;
        Path workDir = d.workDir;
        Optional<Path> endpointsFile = Optional.ofNullable(env.get(ENDPOINTS_FILE_ENV))
                .filter(s -> !s.isBlank())
                .map(Path::of);
        boolean exitOnStdin = false;
        Duration s3Latency = d.s3Latency;

        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--exit-when-stdin-closes")) {
                exitOnStdin = true;
                continue;
            }
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--host" -> host = value;
                case "--s3-port" -> s3Port = port(option, value);
                case "--sqs-port" -> sqsPort = port(option, value);
                case "--postgres-port" -> pgPort = port(option, value);
                case "--region" -> region = value;
                case "--access-key" -> accessKey = value;
                case "--secret-key" -> secretKey = value;
                case "--bucket" -> bucket = value;
                case "--extra-bucket" -> extraBuckets.add(value);
                case "--events-queue" -> eventsQueue = value;
                case "--dead-letter-queue" -> dlq = value;
                case "--max-receive-count" -> maxReceive = positive(option, value);
                case "--visibility-timeout" -> visibility = Duration.ofSeconds(positive(option, value));
                case "--storage-dir" -> storage = Optional.of(Path.of(value));
                case "--notifications" -> notifications = Optional.of(Path.of(value));
                case "--cors-origin" -> cors.add(value);
                case "--database" -> database = value;
                case "--work-dir" -> workDir = Path.of(value);
                case "--endpoints-file" -> endpointsFile = Optional.of(Path.of(value));
                case "--s3-latency" -> s3Latency = Duration.ofMillis(integer(option, value));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new SandboxConfig(
                host,
                s3Port,
                sqsPort,
                pgPort,
                region,
                accessKey,
                secretKey,
                bucket,
                extraBuckets,
                eventsQueue,
                dlq,
                maxReceive,
                visibility,
                storage,
                notifications,
                cors.isEmpty() ? d.corsOrigins : cors,
                database,
                workDir,
                endpointsFile,
                exitOnStdin,
                s3Latency);
    }

    private static int port(String option, String value) {
        int port = integer(option, value);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be a port between 0 and 65535, not " + value);
        }
        return port;
    }

    private static int positive(String option, String value) {
        int n = integer(option, value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + value);
        }
        return n;
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not " + value, e);
        }
    }
}
