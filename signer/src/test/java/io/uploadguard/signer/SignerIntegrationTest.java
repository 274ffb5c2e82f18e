package io.uploadguard.signer;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import io.uploadguard.security.LocalTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signer on a real port, against the sandbox's real S3 and PostgreSQL. Test classes share one
 * Spring context (same properties), so the suite starts it once.
 */
@Tag("integration")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "uploadguard.quota.users[tight-quota].max-objects=7",
            "uploadguard.quota.users[tight-quota].max-signed-urls-per-minute=1000",
            "uploadguard.quota.users[tight-quota-parallel].max-objects=7",
            "uploadguard.quota.users[tight-quota-parallel].max-signed-urls-per-minute=1000",
            "uploadguard.quota.users[rate-limited].max-signed-urls-per-minute=2",
            // multipart: pages of 4 part URLs, at most 8 part URLs a minute per user
            "uploadguard.signer.multipart.page-size=4",
            "uploadguard.signer.multipart.part-urls-per-minute=8",
        })
abstract class SignerIntegrationTest {

    static final String SECRET = "signer-test-secret-that-is-long-enough";
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void sandbox(DynamicPropertyRegistry registry) {
        SandboxProcess.shared().springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("uploadguard.auth.hmac-secret", () -> SECRET);
    }

    static SandboxEndpoints sandbox() {
        return SandboxProcess.shared();
    }

    static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    static String token(String user) {
        return LocalTokens.mint(SECRET, user, Duration.ofMinutes(5));
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

    Reply post(String bearer, String body) {
        var request = HttpRequest.newBuilder(uri("/uploads"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    Reply get(String bearer, String path) {
        var request = HttpRequest.newBuilder(uri(path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    Reply sign(String user, String profile, String contentType, long size) {
        return post(
                token(user),
                JSON.writeValueAsString(Map.of("profile", profile, "contentType", contentType, "size", size)));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static Reply send(HttpRequest request) {
        return send(HTTP, request);
    }

    static Reply send(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : parseOrNull(response.body());
            return new Reply(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parseOrNull(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** What the ledger holds for a user: the account row and the number of uploads. */
    record Books(Map<String, Object> account, long uploads) {}

    Books books(String user) {
        var account = jdbc.sql("select bytes_used, objects_used, bytes_reserved, objects_reserved, violations, "
                        + "blocked_until, rate_window_count from accounts where user_id = ?")
                .param(user)
                .query()
                .listOfRows();
        long uploads = jdbc.sql("select count(*) from uploads where user_id = ?")
                .param(user)
                .query(Long.class)
                .single();
        return new Books(account.isEmpty() ? Map.of() : account.get(0), uploads);
    }
}
