package io.uploadguard.sandbox.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a process needs to talk to a running sandbox. The sandbox writes it as JSON (the
 * "endpoints file") so that tests, the launcher and scripts in other processes can connect.
 *
 * <p>{@code controlEndpoint} takes fault-injection requests ({@code POST /faults/{s3|postgres|sqs}/stop}
 * and {@code /start}) for tests.
 *
 * <p>The credentials are the sandbox's local, throw-away ones; they protect nothing outside
 * loopback, which is why they may be printed and written to disk.
 */
public record SandboxEndpoints(
        String region,
        String accessKey,
        String secretKey,
        String s3Endpoint,
        String sqsEndpoint,
        String bucket,
        String eventsQueueName,
        String eventsQueueUrl,
        String eventsQueueArn,
        String deadLetterQueueName,
        String deadLetterQueueUrl,
        String deadLetterQueueArn,
        int maxReceiveCount,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String controlEndpoint) {

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * The Spring Boot properties that point UploadGuard's services at this sandbox: the datasource,
     * and Spring Cloud AWS's S3 and SQS clients (path-style, static credentials, region).
     */
    public java.util.Map<String, String> springProperties() {
        var p = new java.util.LinkedHashMap<String, String>();
        p.put("spring.datasource.url", jdbcUrl);
        p.put("spring.datasource.username", dbUser);
        p.put("spring.datasource.password", dbPassword);
        p.put("spring.cloud.aws.region.static", region);
        p.put("spring.cloud.aws.credentials.access-key", accessKey);
        p.put("spring.cloud.aws.credentials.secret-key", secretKey);
        p.put("spring.cloud.aws.s3.endpoint", s3Endpoint);
        p.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
        p.put("spring.cloud.aws.sqs.endpoint", sqsEndpoint);
        p.put("uploadguard.bucket", bucket);
        p.put("uploadguard.events-queue", eventsQueueName);
        p.put("uploadguard.dead-letter-queue", deadLetterQueueName);
        return p;
    }

    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    public static SandboxEndpoints fromJson(String json) {
        return JSON.readValue(json, SandboxEndpoints.class);
    }

    /** Writes atomically, so a reader polling for the file never sees half of it. */
    public void writeTo(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".endpoints", ".tmp");
            Files.writeString(tmp, toJson());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sandbox endpoints to " + file, e);
        }
    }

    public static SandboxEndpoints readFrom(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox endpoints from " + file, e);
        }
    }
}
