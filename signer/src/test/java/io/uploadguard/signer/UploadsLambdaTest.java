package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signer as API Gateway (HTTP API, JWT authorizer) calls the Lambda function: a recorded event
 * in, an API Gateway response out, through Spring Cloud Function's AWS adapter as in production.
 */
@Tag("integration")
class UploadsLambdaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static FunctionInvoker invoker;

    @BeforeAll
    static void startFunction() {
        SandboxProcess.shared().springProperties().forEach(System::setProperty);
        // the adapter caches the main class in a static field on first use
        System.setProperty("MAIN_CLASS", SignerApplication.class.getName());
        invoker = new FunctionInvoker("uploadsApi");
    }

    @Test
    void aPostFromApiGatewaySignsForTheAuthorizersSubject() throws IOException {
        String user = "lambda-user-" + UUID.randomUUID();
        ObjectNode event = recordedEvent(user);

        JsonNode response = invoke(event);

        assertThat(response.get("statusCode").asInt()).isEqualTo(201);
        JsonNode ticket = JSON.readTree(response.get("body").asString());
        assertThat(ticket.get("key").asString()).startsWith("incoming/lambda-user-");
        assertThat(ticket.get("url").asString()).contains("X-Amz-Signature=");
        assertThat(ticket.get("headers").get("x-amz-meta-user-id").asString()).isEqualTo(user);
        assertThat(response.get("headers").get("Location").asString())
                .isEqualTo("/uploads/" + ticket.get("uploadId").asString());
    }

    @Test
    void theRawAuthorizationHeaderIsNeverTrusted() throws IOException {
        ObjectNode event = recordedEvent("ignored");
        ((ObjectNode) event.get("requestContext")).remove("authorizer");

        JsonNode response = invoke(event);

        assertThat(response.get("statusCode").asInt()).isEqualTo(401);
        assertThat(JSON.readTree(response.get("body").asString()).get("error").asString())
                .isEqualTo("invalid_token");
    }

    @Test
    void aBadRequestIsAnsweredNotThrown() throws IOException {
        ObjectNode event = recordedEvent("lambda-user-" + UUID.randomUUID());
        event.put("body", "{\"profile\":\"avatar\",\"contentType\":\"text/html\",\"size\":10}");

        JsonNode response = invoke(event);

        assertThat(response.get("statusCode").asInt()).isEqualTo(400);
        assertThat(JSON.readTree(response.get("body").asString()).get("error").asString())
                .isEqualTo("type_not_allowed");
    }

    private static ObjectNode recordedEvent(String user) throws IOException {
        try (InputStream in = UploadsLambdaTest.class.getResourceAsStream("/apigw-v2-post-uploads.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("lambda-user-SUFFIX", user);
            return (ObjectNode) JSON.readTree(json);
        }
    }

    private static JsonNode invoke(JsonNode event) throws IOException {
        var out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
        return JSON.readTree(out.toByteArray());
    }
}
