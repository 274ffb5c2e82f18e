package io.uploadguard.enforcer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The enforcer consuming the sandbox's real S3 events from its real SQS queue, booking in its real
 * PostgreSQL. Uploads are signed the way the signer signs them (reserve in the ledger, presign with
 * the SDK, PUT with the signed headers), so these tests need no signer process.
 */
@Tag("integration")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "uploadguard.enforcer.release-interval=1s",
            "uploadguard.enforcer.reservation-grace=0s",
            "uploadguard.enforcer.dead-letter-poll-interval=1s",
            "uploadguard.profiles.avatar.allowed-types=image/png,image/jpeg,image/webp",
            "uploadguard.profiles.avatar.max-size=5MB",
            "uploadguard.profiles.document.allowed-types=application/pdf",
            "uploadguard.profiles.document.max-size=50MB",
            "uploadguard.profiles.scratch.allowed-types=image/png",
            "uploadguard.profiles.scratch.max-size=1MB",
            "uploadguard.profiles.scratch.on-violation=DELETE",
            "uploadguard.profiles.gallery.allowed-types=image/png",
            "uploadguard.profiles.gallery.max-size=1MB",
            "uploadguard.profiles.gallery.inline=true",
            // large files: uploaded in parts, and copied in parts above 10 MB (S3's is 5 GB) in 5 MB parts
            "uploadguard.profiles.video.allowed-types=video/mp4,application/zip",
            "uploadguard.profiles.video.max-size=100MB",
            "uploadguard.enforcer.large-copy.threshold=10MB",
            "uploadguard.enforcer.large-copy.part-size=5MB",
            "uploadguard.quota.users[three-strikes].violations-before-block=3",
            // the admin API: locally minted tokens, and a user whose quota a release can exceed
            "uploadguard.auth.hmac-secret=" + EnforcerIntegrationTest.AUTH_SECRET,
            "uploadguard.quota.users[admin-small-quota].max-bytes=6000",
        })
@org.springframework.context.annotation.Import(FaultInjection.class)
public abstract class EnforcerIntegrationTest {

    /** In the properties above, so that every test class shares one context (one enforcer on the queue). */
    protected static final String AUTH_SECRET = "enforcer-test-secret-that-is-long-enough";

    protected static final java.util.Set<String> CRASH_AFTER_ACT = FaultInjection.CRASH_AFTER_ACT;

    protected static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Autowired
    protected QuotaLedger ledger;

    @Autowired
    protected QuotaPolicy quotas;

    @Autowired
    protected KeyLayout layout;

    @Autowired
    protected S3Client s3;

    @Autowired
    protected S3Presigner presigner;

    protected final SqsClient sqs = SqsClient.builder()
            .endpointOverride(URI.create(sandbox().sqsEndpoint()))
            .region(software.amazon.awssdk.regions.Region.of(sandbox().region()))
            .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                            sandbox().accessKey(), sandbox().secretKey())))
            .build();

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected MessageListenerContainerRegistry listeners;

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    protected static void sandbox(DynamicPropertyRegistry registry) {
        SandboxProcess.shared().springProperties().forEach((name, value) -> registry.add(name, () -> value));
        TestClamd.scannerProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    protected static SandboxEndpoints sandbox() {
        return SandboxProcess.shared();
    }

    protected static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    protected String bucket() {
        return sandbox().bucket();
    }

    /** What the signer does for a request: reserve, then presign a locked PUT. */
    public record Signed(UUID uploadId, String key, URI url, Map<String, String> headers) {}

    protected Signed sign(String user, String profile, String contentType, long size) {
        return sign(user, profile, contentType, size, null);
    }

    protected Signed sign(String user, String profile, String contentType, long size, String filename) {
        UUID uploadId = UUID.randomUUID();
        String key = layout.newIncomingKey(user, contentType);
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(PutObjectRequest.builder()
                        .bucket(bucket())
                        .key(key)
                        .contentType(contentType)
                        .contentLength(size)
                        .metadata(Map.of("user-id", user, "upload-id", uploadId.toString()))
                        .ifNoneMatch("*")
                        .build()));
        var outcome = ledger.reserve(
                new ReservationRequest(
                        uploadId,
                        user,
                        profile,
                        bucket(),
                        key,
                        contentType,
                        size,
                        null,
                        filename,
                        presigned.expiration()),
                quotas.forUser(user),
                Instant.now());
        if (!(outcome instanceof ReserveOutcome.Reserved)) {
            throw new IllegalStateException("reservation refused: " + outcome);
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        presigned.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new Signed(uploadId, key, URI.create(presigned.url().toString()), headers);
    }

    /** A reservation as the signer books it, for a PNG of {@code size} bytes whose URL expires at {@code expiresAt}. */
    protected ReserveOutcome reserve(String user, long size, Instant expiresAt, Instant now) {
        return ledger.reserve(
                new ReservationRequest(
                        UUID.randomUUID(),
                        user,
                        "avatar",
                        bucket(),
                        layout.newIncomingKey(user, "image/png"),
                        "image/png",
                        size,
                        null,
                        null,
                        expiresAt),
                quotas.forUser(user),
                now);
    }

    protected ReserveOutcome reserve(String user) {
        return reserve(user, 10, Instant.now().plusSeconds(300), Instant.now());
    }

    /** Each PUT on a connection of its own: S3 closes the connection after refusing a tampered PUT. */
    protected int put(Signed signed, byte[] body) {
        var request = HttpRequest.newBuilder(signed.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach(request::header);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Signs and uploads honestly-declared bytes; returns the signed upload. */
    protected Signed upload(String user, String profile, String contentType, byte[] body) {
        Signed signed = sign(user, profile, contentType, body.length);
        int status = put(signed, body);
        if (status != 200) {
            throw new IllegalStateException("upload refused by S3 with " + status);
        }
        return signed;
    }

    protected Upload awaitVerdict(String key) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> ledger.findByKey(bucket(), key),
                        u -> u.isPresent()
                                && u.get().status() != UploadStatus.RESERVED
                                && u.get().settledAt() != null)
                .get();
    }

    protected boolean exists(String bucket, String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    protected Optional<Map<String, Object>> account(String user) {
        var rows = jdbc.sql("select * from accounts where user_id = ?")
                .param(user)
                .query()
                .listOfRows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The account's counters, as the books must show them. */
    protected void assertUsage(String user, long bytesUsed, long objectsUsed, long bytesReserved) {
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_used")).as("bytes_used").isEqualTo(bytesUsed);
        assertThat(account.get("objects_used")).as("objects_used").isEqualTo(objectsUsed);
        assertThat(account.get("bytes_reserved")).as("bytes_reserved").isEqualTo(bytesReserved);
    }

    protected String eventsQueueUrl() {
        return sandbox().eventsQueueUrl();
    }

    protected String deadLetterQueueUrl() {
        return sandbox().deadLetterQueueUrl();
    }

    /** For tests that hand events over in an order of their own: nothing consumes the queue until they resume. */
    protected void pauseListenerAndPurge() {
        listeners.getListenerContainers().forEach(c -> c.stop());
        sqs.purgeQueue(r -> r.queueUrl(eventsQueueUrl()));
    }

    @AfterEach
    protected void resumeListener() {
        listeners.getListenerContainers().forEach(c -> {
            if (!c.isRunning()) {
                c.start();
            }
        });
    }

    protected boolean queueDrained() {
        var attributes = sqs.getQueueAttributes(r -> r.queueUrl(eventsQueueUrl())
                        .attributeNamesWithStrings(
                                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings();
        return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
    }

    protected String scrape() {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] png(int size) {
        byte[] bytes = new byte[size];
        byte[] header = {
            (byte) 0x89,
            'P',
            'N',
            'G',
            '\r',
            '\n',
            0x1a,
            '\n',
            0,
            0,
            0,
            13,
            'I',
            'H',
            'D',
            'R',
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            1,
            8,
            6,
            0,
            0,
            0,
            0x1f,
            0x15,
            (byte) 0xc4,
            (byte) 0x89
        };
        System.arraycopy(header, 0, bytes, 0, Math.min(size, header.length));
        for (int i = header.length; i < size; i++) {
            bytes[i] = (byte) (i * 7);
        }
        return bytes;
    }

    protected static byte[] html(int size) {
        String page = "<!DOCTYPE html><html><head><script>alert(document.cookie)</script></head><body>";
        return pad(page.getBytes(java.nio.charset.StandardCharsets.US_ASCII), size, (byte) ' ');
    }

    protected static byte[] exe(int size) {
        byte[] bytes = new byte[Math.max(size, 0x100)];
        bytes[0] = 'M';
        bytes[1] = 'Z';
        bytes[0x3c] = (byte) 0x80;
        bytes[0x80] = 'P';
        bytes[0x81] = 'E';
        return java.util.Arrays.copyOf(bytes, size);
    }

    protected static byte[] pad(byte[] start, int size, byte filler) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, filler);
        System.arraycopy(start, 0, bytes, 0, Math.min(start.length, size));
        return bytes;
    }
}
