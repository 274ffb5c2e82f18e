package io.uploadguard.enforcer;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.lambda.harness.LambdaFunction;
import io.uploadguard.lambda.harness.LambdaRuntimeApi;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The enforcer's Lambda zip as AWS Lambda runs it (see the signer's {@code UploadsLambdaRuntimeIT}):
 * the SQS-triggered function with a batch of one good and one poison record, and the same artifact
 * configured as the scheduled release function. Runs after {@code package}.
 */
@Tag("integration")
@EnabledIfSystemProperty(named = EnforcerLambdaRuntimeIT.ARTIFACT, matches = ".+")
class EnforcerLambdaRuntimeIT {

    static final String ARTIFACT = "uploadguard.lambda.artifact";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SandboxEndpoints sandbox;
    private static Path work;
    private static Path taskRoot;
    private static QuotaLedger ledger;
    private static S3Client s3;

    @BeforeAll
    static void unpack() throws IOException {
        sandbox = SandboxProcess.shared();
        work = Files.createTempDirectory(Path.of("target"), "lambda-runtime-").toAbsolutePath();
        taskRoot = LambdaFunction.unpack(Path.of(System.getProperty(ARTIFACT)), work.resolve("task"));
        var dataSource = new DriverManagerDataSource(sandbox.jdbcUrl(), sandbox.dbUser(), sandbox.dbPassword());
        ledger = new QuotaLedger(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource));
        s3 = S3Client.builder()
                .endpointOverride(URI.create(sandbox.s3Endpoint()))
                .region(Region.of(sandbox.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(sandbox.accessKey(), sandbox.secretKey())))
                .build();
    }

    @AfterAll
    static void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void anSqsBatchReportsOnlyThePoisonRecordForRedelivery() {
        try (LambdaFunction function = start("uploadguard-enforcer", "enforceS3Events")) {
            function.awaitInitialised();
            assertThat(function.classPath()).containsExactly(taskRoot.toString(), taskRoot.resolve("lib") + "/*");
            String user = "lambda-user-" + UUID.randomUUID();
            Reservation reserved = reserve(user, 4321, Instant.now().plusSeconds(600));
            String key = reserved.key();
            s3.putObject(
                    r -> r.bucket(sandbox.bucket())
                            .key(key)
                            .contentType("image/png")
                            .metadata(Map.of(
                                    "user-id",
                                    user,
                                    "upload-id",
                                    reserved.uploadId().toString())),
                    RequestBody.fromBytes(EnforcerIntegrationTest.png(4321)));
            ObjectNode batch = (ObjectNode) JSON.readTree(resource("/sqs-event-recorded.json"));
            ((ObjectNode) batch.get("Records").get(0)).put("body", TestEvents.created(sandbox.bucket(), key, 4321));

            JsonNode response = invoke(function, JSON.writeValueAsString(batch));

            assertThat(response.get("batchItemFailures")).hasSize(1);
            assertThat(response.get("batchItemFailures")
                            .get(0)
                            .get("itemIdentifier")
                            .asString())
                    .isEqualTo("POISON-MESSAGE-ID");
            assertThat(ledger.findByKey(sandbox.bucket(), key).orElseThrow().status())
                    .isEqualTo(UploadStatus.ACCEPTED);
        }
    }

    @Test
    void theScheduledEventReleasesExpiredReservations() {
        try (LambdaFunction function = start("uploadguard-release-expired", "releaseExpiredReservations")) {
            function.awaitInitialised();
            String user = "lambda-user-" + UUID.randomUUID();
            String key = reserve(user, 1000, Instant.now().minusSeconds(60)).key();

            JsonNode summary = invoke(function, resource("/eventbridge-scheduled-release.json"));

            assertThat(summary.get("released").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(ledger.findByKey(sandbox.bucket(), key).orElseThrow().status())
                    .isEqualTo(UploadStatus.EXPIRED);
        }
    }

    private static LambdaFunction start(String functionName, String definition) {
        Map<String, String> env = new HashMap<>(LambdaFunction.asEnvironment(sandbox.springProperties()));
        // one artifact, two functions: the stack picks the function with this variable
        env.put("SPRING_CLOUD_FUNCTION_DEFINITION", definition);
        env.put("UPLOADGUARD_ENFORCER_RESERVATIONGRACE", "0s");
        return LambdaFunction.start(
                taskRoot, functionName, env, LambdaFunction.LAMBDA_JVM_OPTIONS, work.resolve(functionName + ".log"));
    }

    private record Reservation(UUID uploadId, String key) {}

    /** What the signer books before it signs a URL. */
    private static Reservation reserve(String user, long size, Instant expiresAt) {
        UUID uploadId = UUID.randomUUID();
        String key = KeyLayout.DEFAULT.newIncomingKey(user, "image/png");
        var outcome = ledger.reserve(
                new ReservationRequest(
                        uploadId, user, "avatar", sandbox.bucket(), key, "image/png", size, null, null, expiresAt),
                QuotaPolicy.defaultsOnly().forUser(user),
                Instant.now());
        assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
        return new Reservation(uploadId, key);
    }

    private static JsonNode invoke(LambdaFunction function, String event) {
        LambdaRuntimeApi.Outcome outcome = function.invoke(event);
        assertThat(outcome.error()).as(outcome.body()).isFalse();
        return JSON.readTree(outcome.body());
    }

    private static String resource(String name) {
        try (InputStream in = EnforcerLambdaRuntimeIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
