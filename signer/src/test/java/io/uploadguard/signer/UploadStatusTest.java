package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.policy.QuotaPolicy;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET /uploads/{id}}: owners see their upload; everyone else sees nothing. */
@Tag("integration")
class UploadStatusTest extends SignerIntegrationTest {

    @Autowired
    QuotaLedger ledger;

    @Autowired
    QuotaPolicy quotas;

    @Test
    void theOwnerSeesTheReservation() {
        String user = newUser();
        var ticket = sign(user, "document", "application/pdf", 4096).body();
        String id = ticket.get("uploadId").asString();

        Reply reply = get(token(user), "/uploads/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("uploadId").asString()).isEqualTo(id);
        assertThat(reply.body().get("status").asString()).isEqualTo("reserved");
        assertThat(reply.body().get("key").asString())
                .isEqualTo(ticket.get("key").asString());
        assertThat(reply.body().get("declaredType").asString()).isEqualTo("application/pdf");
        assertThat(reply.body().get("declaredSize").asLong()).isEqualTo(4096);
        assertThat(reply.body().get("profile").asString()).isEqualTo("document");
    }

    @Test
    void aMalwareRejectionCarriesTheSignatureNamesAndOthersDoNot() {
        String user = newUser();
        String infected =
                sign(user, "document", "application/pdf", 500).body().get("key").asString();
        String mismatched =
                sign(user, "document", "application/pdf", 500).body().get("key").asString();
        // booked as the enforcer books them: the signature names first, then the verdict
        ledger.recordScanSignatures(sandbox().bucket(), infected, List.of("Win.Test.EICAR_HDB-1"));
        rejectQuarantined(user, infected, "MALWARE");
        rejectQuarantined(user, mismatched, "TYPE_MISMATCH");

        JsonNode malware = get(token(user), "/uploads/" + uploadId(infected)).body();
        JsonNode other = get(token(user), "/uploads/" + uploadId(mismatched)).body();

        assertThat(malware.get("reasons").valueStream().map(JsonNode::asString)).containsExactly("MALWARE");
        assertThat(malware.get("signatures").valueStream().map(JsonNode::asString))
                .containsExactly("Win.Test.EICAR_HDB-1");
        assertThat(other.get("status").asString()).isEqualTo("rejected");
        assertThat(other.has("signatures")).isFalse();
    }

    @Test
    void anUploadHeldForTheMalwareScannerIsScanPendingUntilItsVerdict() {
        String user = newUser();
        String key =
                sign(user, "document", "application/pdf", 500).body().get("key").asString();
        UUID id = uploadId(key);

        // what the enforcer books when clamd cannot answer: the hold, with no verdict and no counter change
        ledger.markScanPending(sandbox().bucket(), key, Instant.now());
        assertThat(get(token(user), "/uploads/" + id).body().get("status").asString())
                .isEqualTo("scan_pending");

        ledger.recordScanSignatures(sandbox().bucket(), key, List.of("Win.Test.EICAR_HDB-1"));
        rejectQuarantined(user, key, "MALWARE");
        assertThat(get(token(user), "/uploads/" + id).body().get("status").asString())
                .isEqualTo("rejected");
    }

    @Test
    void saysWhetherTheBackendWasToldOfTheVerdict() {
        String user = newUser();
        String key =
                sign(user, "document", "application/pdf", 500).body().get("key").asString();
        UUID id = uploadId(key);
        assertThat(get(token(user), "/uploads/" + id).body().has("backend"))
                .as("nothing to tell before a verdict")
                .isFalse();

        // the booking writes the upload's event to the outbox; a dispatcher fans it out to each channel
        rejectQuarantined(user, key, "TYPE_MISMATCH");
        UUID event = jdbc.sql("SELECT id FROM notification_outbox WHERE order_key = ?")
                .param(id.toString())
                .query(UUID.class)
                .single();
        deliver(event, "webhook-0", "DELIVERED");
        deliver(event, "eventbridge", "PENDING");

        JsonNode backend = get(token(user), "/uploads/" + id).body().get("backend");
        assertThat(backend.get("delivered").asLong()).isEqualTo(1);
        assertThat(backend.get("pending").asLong()).isEqualTo(1);
        assertThat(backend.get("failed").asLong()).isZero();
        assertThat(backend.hasNonNull("lastDeliveredAt")).isTrue();
    }

    private void deliver(UUID event, String channel, String status) {
        jdbc.sql("""
                        INSERT INTO notification_deliveries (event_id, channel, status, next_attempt_at, retry_until,
                                                             delivered_at)
                        VALUES (?, ?, ?, now(), now() + interval '1 day',
                                CASE WHEN ? = 'DELIVERED' THEN now() END)""").params(event, channel, status, status).update();
    }

    private void rejectQuarantined(String user, String key, String reason) {
        ledger.reject(
                sandbox().bucket(),
                key,
                List.of(reason),
                500L,
                "application/pdf",
                null,
                UploadAction.QUARANTINED,
                "quarantine/" + key,
                quotas.forUser(user),
                Instant.now());
    }

    private UUID uploadId(String key) {
        return ledger.findByKey(sandbox().bucket(), key).orElseThrow().uploadId();
    }

    @Test
    void someoneElsesUploadIs404() {
        var ticket = sign(newUser(), "avatar", "image/png", 10).body();

        Reply reply = get(token(newUser()), "/uploads/" + ticket.get("uploadId").asString());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().get("error").asString()).isEqualTo("not_found");
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        String user = newUser();
        assertThat(get(token(user), "/uploads/00000000-0000-0000-0000-000000000000")
                        .status())
                .isEqualTo(404);
        assertThat(get(token(user), "/uploads/not-a-uuid").status()).isEqualTo(404);
    }

    @Test
    void withoutATokenIs401() {
        assertThat(get(null, "/uploads/00000000-0000-0000-0000-000000000000").status())
                .isEqualTo(401);
    }
}
