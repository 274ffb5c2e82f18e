package io.uploadguard.enforcer.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.admin.AdminIntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The reconciliation job as operators run it: admin only, a JSON report, a repair that fixes drift. */
@Tag("integration")
@ExtendWith(OutputCaptureExtension.class)
class ReconciliationEndpointTest extends AdminIntegrationTest {

    @Test
    void adminsGetTheReportAndCanRepairDriftWhichIsAudited(CapturedOutput output) {
        String user = newUser();
        awaitVerdict(upload(user, "avatar", "image/png", png(900)).key());
        jdbc.sql("update accounts set bytes_used = bytes_used + 1 where user_id = ?")
                .param(user)
                .update();

        Reply report = get(adminToken(), "/admin/reconciliation?settleGrace=PT30S");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.body().get("consistent").asBoolean()).isFalse();
        assertThat(report.body().get("accountDrift").toString()).contains(user);

        Reply repaired = post(adminToken(), "/admin/reconciliation/repair?settleGrace=PT30S", null);
        assertThat(repaired.status()).isEqualTo(200);
        assertThat(repaired.body().get("repaired").toString()).contains(user);
        assertThat(repaired.body().get("accountDrift")).isEmpty();
        assertThat(account(user).orElseThrow().get("bytes_used")).isEqualTo(900L);

        var audit = jdbc.sql("select actor, action, reason, details::text as details from audit_log where user_id = ?")
                .param(user)
                .query()
                .listOfRows();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0)).containsEntry("actor", ADMIN).containsEntry("action", "REPAIR");
        assertThat((String) audit.get(0).get("details"))
                .contains("\"bytesUsed\": 901")
                .contains("\"bytesUsed\": 900");
        assertThat(output.getOut()).contains("reconciliation repair by " + ADMIN + ":");
    }

    @Test
    void usersAreForbiddenAndBadGracesRefused() {
        assertThat(get(userToken(newUser()), "/admin/reconciliation").status()).isEqualTo(403);
        assertThat(get(null, "/admin/reconciliation").status()).isEqualTo(401);
        Reply bad = get(adminToken(), "/admin/reconciliation?settleGrace=soon");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("error").asString()).isEqualTo("malformed_request");
    }
}
