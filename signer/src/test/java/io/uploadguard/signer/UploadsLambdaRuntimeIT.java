package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.lambda.harness.LambdaFunction;
import io.uploadguard.lambda.harness.LambdaRuntimeApi;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signer's Lambda zip as AWS Lambda runs it: unpacked into an empty folder, a fresh JVM with
 * only that folder on its class path, AWS's runtime interface client polling a local Runtime API,
 * recorded API Gateway HTTP API events against the sandbox. Runs after {@code package} (the
 * {@code lambda-runtime} execution in the pom names the zip).
 */
@Tag("integration")
@EnabledIfSystemProperty(named = UploadsLambdaRuntimeIT.ARTIFACT, matches = ".+")
class UploadsLambdaRuntimeIT {

    static final String ARTIFACT = "uploadguard.lambda.artifact";

    /** The bearer token in the recorded events: API Gateway passes the header on to the function. */
    private static final String TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Path taskRoot;
    private static LambdaFunction function;
    private static Duration coldStart;

    @BeforeAll
    static void startFunction() throws IOException {
        SandboxEndpoints sandbox = SandboxProcess.shared();
        Path work =
                Files.createTempDirectory(Path.of("target"), "lambda-runtime-").toAbsolutePath();
        taskRoot = LambdaFunction.unpack(Path.of(System.getProperty(ARTIFACT)), work.resolve("task"));
        function = LambdaFunction.start(
                taskRoot,
                "uploadguard-signer",
                LambdaFunction.asEnvironment(sandbox.springProperties()),
                LambdaFunction.LAMBDA_JVM_OPTIONS,
                work.resolve("function.log"));
    }

    @AfterAll
    static void stopFunction() {
        if (coldStart != null) {
            System.out.println("signer cold start (JVM start to first response): " + coldStart.toMillis() + " ms");
        }
        if (function != null) {
            function.close();
        }
    }

    @Test
    void theFunctionRunsFromTheTaskFolderAlone() {
        invoke(event("/apigw-v2-post-uploads.json", "lambda-user-" + UUID.randomUUID()));

        assertThat(function.classPath()).containsExactly(taskRoot.toString(), taskRoot.resolve("lib") + "/*");
        assertThat(taskRoot.resolve("lib"))
                .isDirectoryContaining("glob:**/aws-lambda-java-runtime-interface-client-*.jar");
    }

    @Test
    void aPostSignsAUrlThatS3AcceptsAndTheUploadCanBeRead() throws Exception {
        String user = "lambda-user-" + UUID.randomUUID();

        JsonNode created = invoke(event("/apigw-v2-post-uploads.json", user));

        assertThat(created.get("statusCode").asInt()).isEqualTo(201);
        JsonNode ticket = JSON.readTree(created.get("body").asString());
        var put = HttpRequest.newBuilder(URI.create(ticket.get("url").asString()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1234]));
        ticket.get("headers")
                .properties()
                .forEach(header -> put.header(header.getKey(), header.getValue().asString()));
        assertThat(HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        String uploadId = ticket.get("uploadId").asString();
        ObjectNode get = event("/apigw-v2-get-upload.json", user);
        String json = JSON.writeValueAsString(get).replace("UPLOAD-ID", uploadId);
        JsonNode status = invoke(JSON.readTree(json));

        assertThat(status.get("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(status.get("body").asString()).get("uploadId").asString())
                .isEqualTo(uploadId);
    }

    @Test
    void withoutTheAuthorizersClaimsTheAnswerIs401() {
        ObjectNode event = event("/apigw-v2-post-uploads.json", "ignored");
        ((ObjectNode) event.get("requestContext")).remove("authorizer");

        JsonNode response = invoke(event);

        assertThat(response.get("statusCode").asInt()).isEqualTo(401);
    }

    @Test
    void noBearerTokenOrCookieReachesTheLog() {
        invoke(event("/apigw-v2-get-upload.json", "lambda-user-" + UUID.randomUUID()));

        String output = function.output();
        // the adapter does log each event, with the sensitive keys masked
        assertThat(output).contains("Received").contains("*******");
        assertThat(output).doesNotContain(TOKEN).doesNotContain("cookie-value-that-must-not-be-logged");
        Matcher authorization = Pattern.compile("(?i)\"?authorization\"?\\s*[:=]\\s*\"?([^\",}\\s]*)")
                .matcher(output);
        while (authorization.find()) {
            assertThat(authorization.group(1)).as(authorization.group()).isEqualTo("*******");
        }
    }

    private static JsonNode invoke(JsonNode event) {
        LambdaRuntimeApi.Outcome outcome = function.invoke(JSON.writeValueAsString(event));
        if (coldStart == null) {
            coldStart = Duration.between(function.startedAt(), outcome.at());
        }
        assertThat(outcome.error()).as(outcome.body()).isFalse();
        return JSON.readTree(outcome.body());
    }

    private static ObjectNode event(String resource, String user) {
        try (InputStream in = UploadsLambdaRuntimeIT.class.getResourceAsStream(resource)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("lambda-user-SUFFIX", user);
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
