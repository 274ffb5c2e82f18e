package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * A multipart grant from the function can be finished through it: more part URLs, the parts S3
     * has, a refused early completion, Uppy's S3-shaped create and complete, and no abort after
     * completion; someone else's upload is not found.
     */
    @Test
    void aMultipartUploadIsCarriedToTheEndThroughTheFunction() throws IOException {
        String user = "lambda-user-" + UUID.randomUUID();
        int partSize = 8 * 1024 * 1024;
        int size = 4 * partSize + 5;
        ObjectNode sign = recordedEvent(user);
        sign.put("body", "{\"profile\":\"video\",\"contentType\":\"video/mp4\",\"size\":" + size + "}");
        JsonNode signed = invoke(sign);
        assertThat(signed.get("statusCode").asInt()).isEqualTo(201);
        JsonNode grant = body(signed);
        assertThat(grant.get("method").asString()).isEqualTo("MULTIPART");
        String id = grant.get("uploadId").asString();

        JsonNode created = invoke(route(user, "POST", "/uploads/" + id + "/s3/create", null));
        assertThat(created.get("statusCode").asInt()).isEqualTo(200);
        assertThat(created.get("headers").get("Content-Type").asString()).isEqualTo("application/xml");
        assertThat(created.get("body").asString()).contains("<UploadId>" + id + "</UploadId>");

        Map<Integer, JsonNode> parts = new TreeMap<>();
        grant.get("parts").forEach(p -> parts.put(p.get("partNumber").asInt(), p));
        // a page of part URLs again (the first page had them all): the last part's, freshly signed
        JsonNode page = invoke(route(user, "POST", "/uploads/" + id + "/parts", "{\"partNumbers\":[5]}"));
        assertThat(page.get("statusCode").asInt()).isEqualTo(200);
        body(page).get("parts").forEach(p -> parts.put(p.get("partNumber").asInt(), p));
        assertThat(parts).containsOnlyKeys(1, 2, 3, 4, 5);

        JsonNode early = invoke(route(user, "POST", "/uploads/" + id + "/complete", null));
        assertThat(early.get("statusCode").asInt()).isEqualTo(409);
        assertThat(body(early).get("error").asString()).isEqualTo("parts_missing");
        assertThat(invoke(route("someone-else-" + UUID.randomUUID(), "GET", "/uploads/" + id + "/parts", null))
                        .get("statusCode")
                        .asInt())
                .isEqualTo(404);

        byte[] file = new byte[size];
        for (JsonNode part : parts.values()) {
            int from = (part.get("partNumber").asInt() - 1) * partSize;
            byte[] slice = Arrays.copyOfRange(file, from, Math.min(size, from + partSize));
            assertThat(SignAndUploadTest.putTo(
                                    URI.create(part.get("url").asString()), SignAndUploadTest.headers(part), slice)
                            .status())
                    .isEqualTo(200);
        }
        JsonNode listed = invoke(route(user, "GET", "/uploads/" + id + "/parts", null));
        assertThat(body(listed).get("parts")).hasSize(5);

        JsonNode completed = invoke(route(user, "POST", "/uploads/" + id + "/s3/complete", null));
        assertThat(completed.get("statusCode").asInt()).isEqualTo(200);
        assertThat(completed.get("body").asString())
                .contains("<CompleteMultipartUploadResult>")
                .contains("<Location>/uploads/" + id + "</Location>");
        JsonNode abort = invoke(route(user, "DELETE", "/uploads/" + id, null));
        assertThat(abort.get("statusCode").asInt()).isEqualTo(409);
        assertThat(body(abort).get("error").asString()).isEqualTo("upload_not_open");
    }

    @Test
    void aMultipartUploadIsAbortedThroughTheFunction() throws IOException {
        String user = "lambda-user-" + UUID.randomUUID();
        ObjectNode sign = recordedEvent(user);
        sign.put("body", "{\"profile\":\"video\",\"contentType\":\"video/mp4\",\"size\":" + 40 * 1024 * 1024 + "}");
        String id = body(invoke(sign)).get("uploadId").asString();

        JsonNode aborted = invoke(route(user, "DELETE", "/uploads/" + id, null));

        assertThat(aborted.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(aborted).get("state").asString()).isEqualTo("ABORTED");
        JsonNode more = invoke(route(user, "POST", "/uploads/" + id + "/parts", "not json"));
        assertThat(more.get("statusCode").asInt()).isEqualTo(400);
        assertThat(body(more).get("error").asString()).isEqualTo("malformed_request");
    }

    /** The recorded event, as API Gateway would send another route of the same API. */
    private static ObjectNode route(String user, String method, String path, String body) throws IOException {
        ObjectNode event = recordedEvent(user);
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        ObjectNode http = (ObjectNode) event.get("requestContext").get("http");
        http.put("method", method);
        http.put("path", path);
        if (body == null) {
            event.remove("body");
        } else {
            event.put("body", body);
        }
        return event;
    }

    private static JsonNode body(JsonNode response) throws IOException {
        return JSON.readTree(response.get("body").asString());
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
