package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * In production the Prometheus scrape and the health probes are on the management port only
 * (issue 12); the public port answers 404 for them. The port comes from application-production.yml.
 */
@Tag("integration")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "UPLOADGUARD_MANAGEMENT_PORT=0")
@ActiveProfiles("production")
class ManagementPortTest extends SignerIntegrationTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void actuatorIsServedOnTheManagementPortOnly() {
        assertThat(managementPort).isNotEqualTo(port);

        assertThat(get(null, "/actuator/prometheus").status()).isEqualTo(404);
        assertThat(get(null, "/actuator/health").status()).isEqualTo(404);
        assertThat(get(null, "/").status()).isEqualTo(200);

        Reply scrape =
                send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                        .build());
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.raw().body()).contains("jvm_memory_used_bytes");
        Reply health =
                send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))
                        .build());
        assertThat(health.body().get("status").asString()).isEqualTo("UP");
    }
}
