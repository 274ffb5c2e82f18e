package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.sandbox.client.SandboxFaults;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** PostgreSQL really stopped (the sandbox's fault endpoint): a clear 503, nothing reserved, then service again. */
@Tag("integration")
class LedgerOutageTest extends SignerIntegrationTest {

    private final SandboxFaults faults = new SandboxFaults(sandbox());

    @AfterEach
    void postgresRunsAgain() {
        faults.start("postgres");
    }

    @Test
    void signingWhileTheLedgerIsDownIs503WithRetryAfterAndWorksOnceItIsBack() {
        String user = newUser();
        assertThat(sign(user, "avatar", "image/png", 100).status()).isEqualTo(201);

        faults.stop("postgres");
        Reply refused = sign(user, "avatar", "image/png", 200);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().get("error").asString()).isEqualTo("ledger_unavailable");
        assertThat(refused.body().get("message").asString()).contains("nothing was reserved");
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("5");

        faults.start("postgres");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sign(user, "avatar", "image/png", 300).status() == 201);
        long reserved = jdbc.sql("SELECT count(*) FROM uploads WHERE user_id = ? AND declared_size = 200")
                .param(user)
                .query(Long.class)
                .single();
        assertThat(reserved).as("the refused request reserved nothing").isZero();
    }
}
