package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.sandbox.client.SandboxFaults;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL really stopped: the admin API answers as the signer does, 503 {@code
 * ledger_unavailable} with {@code Retry-After} (the shared error model; it was a 500 before), and
 * works again once the ledger is back.
 */
@Tag("integration")
class AdminLedgerOutageTest extends AdminIntegrationTest {

    private final SandboxFaults faults = new SandboxFaults(sandbox());

    @AfterEach
    void postgresRunsAgain() {
        faults.start("postgres");
    }

    @Test
    void anAdminReadWhileTheLedgerIsDownIs503WithRetryAfter() {
        String user = newUser();
        accepted(user, 100);

        faults.stop("postgres");
        Reply refused = get(adminToken(), "/admin/users/" + path(user));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("ledger_unavailable");
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("5");

        faults.start("postgres");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> get(adminToken(), "/admin/users/" + path(user)).status() == 200);
    }
}
