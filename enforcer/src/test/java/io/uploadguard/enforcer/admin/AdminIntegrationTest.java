package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.security.LocalTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API over the enforcer's real HTTP port, with tokens minted locally. Shares the
 * enforcer's test context (no configuration of its own), so it runs on the same enforcer.
 */
@Tag("integration")
public abstract class AdminIntegrationTest extends EnforcerIntegrationTest {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String ADMIN = "ops-alice";

    @Autowired
    protected AdminLedger admin;

    protected static String adminToken() {
        return LocalTokens.mint(
                AUTH_SECRET, ADMIN, Duration.ofMinutes(5), Map.of("roles", List.of("uploadguard-admin")));
    }

    protected static String userToken(String user) {
        return LocalTokens.mint(AUTH_SECRET, user, Duration.ofMinutes(5));
    }

    protected record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String error() {
            return body == null || body.get("error") == null
                    ? null
                    : body.get("error").asString();
        }
    }

    protected Reply get(String bearer, String path) {
        return call("GET", path, bearer, null);
    }

    protected Reply post(String bearer, String path, Object body) {
        return call("POST", path, bearer, body);
    }

    protected Reply delete(String bearer, String path, Object body) {
        return call("DELETE", path, bearer, body);
    }

    /** {@code body} is sent as JSON, or as is if it is a String; null sends no body. */
    protected Reply call(String method, String path, String bearer, Object body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (RuntimeException e) {
                // not JSON: left null, the status tells
            }
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    protected static Map<String, String> reason(String reason) {
        return Map.of("reason", reason);
    }

    /** Uploads HTML declared as PNG, the real way, and waits until the enforcer has quarantined it. */
    protected Upload quarantined(String user, int size) {
        Signed signed = upload(user, "avatar", "image/png", html(size));
        Upload upload = awaitVerdict(signed.key());
        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.action()).isEqualTo(UploadAction.QUARANTINED);
        assertThat(exists(bucket(), upload.currentKey())).isTrue();
        return upload;
    }

    protected Upload accepted(String user, int size) {
        Upload upload =
                awaitVerdict(upload(user, "avatar", "image/png", png(size)).key());
        assertThat(upload.status()).isEqualTo(UploadStatus.ACCEPTED);
        return upload;
    }

    protected long accountLong(String user, String column) {
        return ((Number) account(user).orElseThrow().get(column)).longValue();
    }
}
