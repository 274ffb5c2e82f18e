package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Health, readiness and the Prometheus scrape, with bounded labels. */
@Tag("integration")
class OperationsEndpointsTest extends SignerIntegrationTest {

    @Test
    void healthAndReadinessAreUp() {
        assertThat(get(null, "/actuator/health").body().get("status").asString())
                .isEqualTo("UP");
        assertThat(get(null, "/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(get(null, "/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void theUploadPageAndTheApiDocumentAreServedWithoutAToken() {
        Reply page = get(null, "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("<form id=\"upload-form\"").contains("/assets/upload.js");
        assertThat(get(null, "/assets/upload.js").status()).isEqualTo(200);
        Reply api = get(null, "/openapi.yaml");
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.raw().body()).contains("openapi: 3.1.0").contains("/uploads/{uploadId}");
    }

    @Test
    void signingRequestsAreCountedByProfileOutcomeAndReason() throws IOException {
        String user = newUser();
        sign(user, "avatar", "image/png", 10);
        post(token(user), "{\"profile\":\"no-such-profile-" + user + "\",\"contentType\":\"image/png\",\"size\":1}");

        String scrape = get(null, "/actuator/prometheus").raw().body();

        assertThat(scrape)
                .containsPattern(
                        "uploadguard_signing_requests_total\\{[^}]*outcome=\"signed\",profile=\"avatar\",reason=\"none\"[^}]*} [1-9]");
        assertThat(scrape)
                .containsPattern(
                        "uploadguard_signing_requests_total\\{[^}]*outcome=\"refused\",profile=\"unknown\",reason=\"unknown_profile\"");
        assertThat(scrape).contains("uploadguard_signing_duration_seconds_bucket");
        assertThat(scrape).as("no user id in any label").doesNotContain(user);
        // what the alert rules and the dashboard query (infra/observability) must really be exported
        List<String> listed = Files.readAllLines(
                        Path.of(System.getProperty("uploadguard.repo"), "infra/observability/metrics/signer.txt"))
                .stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertThat(listed).isNotEmpty();
        for (String metric : listed) {
            assertThat(scrape)
                    .as("listed in infra/observability/metrics/signer.txt")
                    .contains("\n" + metric);
        }
    }
}
