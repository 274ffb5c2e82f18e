package io.uploadguard.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.MountableFile;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;

/**
 * LocalStack with presigned-URL signature validation on (it skips the check by default), running
 * docker-compose's init scripts ({@code infra/localstack/init/ready.d}) as docker-compose does, so
 * every LocalStack run of the conformance suite also exercises them (LocalStackInitScriptTest checks
 * what they created).
 */
final class LocalStackTarget extends AwsTarget {

    static final String IMAGE = "localstack/localstack:4.9";

    /** The file the init script writes after its last step (docker-compose's health check waits for it). */
    static final String INIT_DONE_MARKER = "/tmp/uploadguard-init.done";

    static LocalStackContainer container() {
        LocalStackContainer container =
                new LocalStackContainer(IMAGE).withServices("s3", "sqs").withEnv("S3_SKIP_SIGNATURE_VALIDATION", "0");
        for (Path script : initScripts()) {
            container.withCopyFileToContainer(
                    MountableFile.forHostPath(script, 0755), "/etc/localstack/init/ready.d/" + script.getFileName());
        }
        return container;
    }

    /** docker-compose's LocalStack init scripts, in the order LocalStack runs them; empty if not found. */
    static List<Path> initScripts() {
        Path sandbox = Path.of(System.getProperty("uploadguard.sandbox.home", ""));
        Path dir =
                sandbox.toAbsolutePath().resolve("../localstack/init/ready.d").normalize();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sh"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final LocalStackContainer localstack;

    LocalStackTarget(LocalStackContainer localstack) {
        this.localstack = localstack;
    }

    @Override
    URI s3Endpoint() {
        return localstack.getEndpoint();
    }

    @Override
    URI sqsEndpoint() {
        return localstack.getEndpoint();
    }

    @Override
    String region() {
        return localstack.getRegion();
    }

    @Override
    String accessKey() {
        return localstack.getAccessKey();
    }

    @Override
    String secretKey() {
        return localstack.getSecretKey();
    }

    @Override
    void putNotificationConfiguration(String bucket, NotificationConfiguration configuration) {
        try (var s3 = s3()) {
            s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(configuration));
        }
    }
}
