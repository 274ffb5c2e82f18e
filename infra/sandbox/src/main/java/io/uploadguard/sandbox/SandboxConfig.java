package io.uploadguard.sandbox;

import io.uploadguard.sandbox.client.CommandLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a sandbox. Port 0 means "pick a free one". Every field has a default that suits
 * tests and the local launcher; {@link #fromArgs} lets the command line change each of them.
 *
 * @param storageDir where S3 objects live; empty keeps them in memory
 * @param notificationsFile an S3 {@code NotificationConfiguration} in AWS's JSON form for
 *     {@code bucket}; empty means {@link io.uploadguard.sandbox.s3events.S3Events#uploadGuardDefaults}
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

    /**
     * Parses command-line options over the defaults; throws {@link IllegalArgumentException} with a
     * clear message. Returns empty when {@code --help} was asked for (the usage is then on {@code out}).
     */
    public static Optional<SandboxConfig> fromArgs(String[] args, Map<String, String> env, PrintWriter out) {
        SandboxOptions options = new SandboxOptions(defaults(), env);
        return CommandLines.parse(options, args, out) ? Optional.of(options.config()) : Optional.empty();
    }

    /** {@link #fromArgs(String[], Map, PrintWriter)} where {@code --help} is not expected. */
    public static SandboxConfig fromArgs(String[] args, Map<String, String> env) {
        return fromArgs(args, env, new PrintWriter(System.out))
                .orElseThrow(() -> new IllegalArgumentException("--help asked for"));
    }
}
