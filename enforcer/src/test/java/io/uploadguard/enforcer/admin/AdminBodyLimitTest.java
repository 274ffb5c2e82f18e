package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The admin API reads no body over 16 KiB (issue 12): 413 whether the length is declared or not. */
@Tag("integration")
class AdminBodyLimitTest extends AdminIntegrationTest {

    @Test
    void aDeclaredBodyOverTheLimitIs413AndBlocksNobody() {
        String user = newUser();
        accepted(user, 100);

        Reply reply = post(adminToken(), "/admin/users/" + path(user) + "/block", oversized());

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.error()).isEqualTo("payload_too_large");
        assertThat(ledger.account(user).orElseThrow().blockedUntil()).isNull();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndBlocksNobody() throws IOException, InterruptedException {
        String user = newUser();
        accepted(user, 100);
        byte[] body = oversized().getBytes(StandardCharsets.UTF_8);

        // an input stream of unknown length goes out chunked: no Content-Length to refuse it by
        HttpResponse<String> reply = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/users/" + path(user) + "/block"))
                        .header("Authorization", "Bearer " + adminToken())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(reply.body()).get("error").asString()).isEqualTo("payload_too_large");
        assertThat(ledger.account(user).orElseThrow().blockedUntil()).isNull();
    }

    private static String oversized() {
        return "{\"duration\":\"PT1H\",\"reason\":\"" + "x".repeat(20 * 1024) + "\"}";
    }
}
