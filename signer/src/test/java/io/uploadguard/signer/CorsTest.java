package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A web app on another origin calls the signer from the browser (issue 19): the listed origin's
 * preflight is answered before authentication, an unlisted one is refused, and the real request
 * carries {@code Access-Control-Allow-Origin}. Browsers send exactly these requests; the Chromium
 * test in the launcher module drives a real one.
 */
@Tag("integration")
@TestPropertySource(properties = "uploadguard.cors.allowed-origins=http://app.example:3000, http://other.example")
class CorsTest extends SignerIntegrationTest {

    private static final String APP = "http://app.example:3000";

    @Test
    void aListedOriginsPreflightIsAnsweredWithoutAToken() {
        for (String path : new String[] {"/uploads", "/uploads/abc", "/uploads/abc/parts"}) {
            Reply reply = preflight(path, APP, "POST");
            assertThat(reply.status()).as(path).isEqualTo(200);
            var headers = reply.raw().headers();
            assertThat(headers.firstValue("Access-Control-Allow-Origin"))
                    .as(path)
                    .hasValue(APP);
            assertThat(headers.firstValue("Access-Control-Allow-Methods").orElseThrow())
                    .contains("POST")
                    .contains("GET")
                    .contains("DELETE");
            assertThat(headers.firstValue("Access-Control-Allow-Headers")
                            .orElseThrow()
                            .toLowerCase())
                    .contains("authorization")
                    .contains("content-type");
            assertThat(headers.firstValue("Access-Control-Max-Age")).hasValue("3600");
            assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
    }

    @Test
    void anUnlistedOriginIsRefused() {
        Reply reply = preflight("/uploads", "http://evil.example", "POST");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();

        Reply actual = send(HttpRequest.newBuilder(uri("/uploads"))
                .header("Origin", "http://evil.example")
                .header("Authorization", "Bearer " + token(newUser()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":100}"))
                .build());
        assertThat(actual.status()).isEqualTo(403);
        assertThat(actual.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
    }

    @Test
    void aHeaderThatIsNotAllowedIsNotAllowed() {
        Reply reply = send(HttpRequest.newBuilder(uri("/uploads"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, x-sneaky")
                .build());
        // the browser then refuses to send the request: the answer does not list the header
        assertThat(reply.raw()
                        .headers()
                        .allValues("Access-Control-Allow-Headers")
                        .toString()
                        .toLowerCase())
                .doesNotContain("x-sneaky");
    }

    @Test
    void theActualRequestCarriesTheAllowedOrigin() {
        String user = newUser();
        Reply signed = send(HttpRequest.newBuilder(uri("/uploads"))
                .header("Origin", APP)
                .header("Authorization", "Bearer " + token(user))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":100}"))
                .build());
        assertThat(signed.status()).isEqualTo(201);
        assertThat(signed.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(APP);

        Reply status = send(HttpRequest.newBuilder(
                        uri("/uploads/" + signed.body().get("uploadId").asString()))
                .header("Origin", APP)
                .header("Authorization", "Bearer " + token(user))
                .build());
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(APP);

        // a refusal is readable by the page too: it carries the header, so the app sees the error code
        Reply refused = send(HttpRequest.newBuilder(uri("/uploads"))
                .header("Origin", APP)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(APP);
    }

    @Test
    void theUploadPageIsNotACorsResource() {
        Reply reply = preflight("/", APP, "GET");
        assertThat(reply.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
    }

    private Reply preflight(String path, String origin, String method) {
        return send(HttpRequest.newBuilder(uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .build());
    }
}
