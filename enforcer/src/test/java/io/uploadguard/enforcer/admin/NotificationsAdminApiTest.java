package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import io.uploadguard.ledger.notifications.DeliveryQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The enforcer books its verdicts with their notification (the outbox row, with the client
 * reference), and the admin API lists failed deliveries and redelivers them, admin role required.
 */
@Tag("integration")
class NotificationsAdminApiTest extends AdminIntegrationTest {

    @Autowired
    DeliveryQueue queue;

    @Test
    void aVerdictOfTheEnforcerIsBookedWithItsNotification() {
        String user = newUser();
        Signed signed = sign(user, "avatar", "image/png", 321);
        // as the signer stores it (its own tests cover the request)
        jdbc.sql("UPDATE uploads SET client_reference = 'avatar of account 42' WHERE upload_id = :id")
                .param("id", signed.uploadId())
                .update();
        assertThat(put(signed, png(321))).isEqualTo(200);
        awaitVerdict(signed.key());

        String payload = await().until(
                        () -> jdbc.sql("SELECT CAST(payload AS text) FROM notification_outbox WHERE upload_id = :id")
                                .param("id", signed.uploadId())
                                .query(String.class)
                                .list(),
                        rows -> rows.size() == 1)
                .get(0);
        JsonNode event = JSON.readTree(payload);
        assertThat(event.get("type").asString()).isEqualTo("upload.accepted");
        assertThat(event.get("data").get("clientReference").asString()).isEqualTo("avatar of account 42");
        assertThat(event.get("data").get("servedKey").asString()).startsWith("served/");
    }

    @Test
    void failedDeliveriesAreListedAndRedelivered() {
        String user = newUser();
        upload(user, "avatar", "image/png", png(123));
        UUID eventId = failOneDeliveryOf(user);

        Reply failed = get(adminToken(), "/admin/notifications?status=failed&limit=200");
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.body().get("deliveries").findValuesAsString("eventId"))
                .contains(eventId.toString());

        Reply redelivered = post(adminToken(), "/admin/notifications/" + eventId + "/redeliver", null);
        assertThat(redelivered.status()).isEqualTo(200);
        assertThat(redelivered.body().get("redelivered").asInt()).isEqualTo(1);
        assertThat(post(adminToken(), "/admin/notifications/" + eventId + "/redeliver", null)
                        .error())
                .isEqualTo("not_found");

        UUID again = failOneDeliveryOf(newUserWithUpload());
        Reply all = post(
                adminToken(),
                "/admin/notifications/redeliver?failedSince=" + Instant.now().minusSeconds(60),
                null);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().get("redelivered").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(get(adminToken(), "/admin/notifications?status=failed&limit=200")
                        .body()
                        .get("deliveries")
                        .findValuesAsString("eventId"))
                .doesNotContain(again.toString());
    }

    @Test
    void badRequestsAndMissingRolesAreRefused() {
        assertThat(get(adminToken(), "/admin/notifications?status=lost").error())
                .isEqualTo("malformed_request");
        assertThat(post(adminToken(), "/admin/notifications/redeliver?failedSince=yesterday", null)
                        .error())
                .isEqualTo("malformed_request");
        assertThat(post(adminToken(), "/admin/notifications/not-a-uuid/redeliver", null)
                        .status())
                .isEqualTo(400);
        assertThat(get(null, "/admin/notifications").status()).isEqualTo(401);
        assertThat(get(userToken(newUser()), "/admin/notifications").status()).isEqualTo(403);
    }

    private String newUserWithUpload() {
        String user = newUser();
        upload(user, "avatar", "image/png", png(124));
        return user;
    }

    /**
     * Waits for the user's verdict event, fans it out to a channel of this test's own with no
     * horizon, claims it and books one failed attempt: it is failed at once.
     */
    private UUID failOneDeliveryOf(String user) {
        UUID eventId = await().until(
                        () -> jdbc.sql("SELECT id FROM notification_outbox WHERE user_id = :user")
                                .param("user", user)
                                .query(UUID.class)
                                .optional(),
                        java.util.Optional::isPresent)
                .get();
        String channel = "admin-test-" + UUID.randomUUID();
        queue.fanOut(List.of(new ChannelRoute(channel, Set.of(), Set.of())), Duration.ZERO, Instant.now(), 10_000);
        List<Delivery> claimed = queue.claim(List.of(channel), Instant.now(), Duration.ofMinutes(1), 10_000);
        Delivery ours = claimed.stream()
                .filter(d -> d.eventId().equals(eventId))
                .findFirst()
                .orElseThrow();
        assertThat(queue.failed(ours, Instant.now().plusSeconds(5), "answered HTTP 500", Instant.now()))
                .isEqualTo(DeliveryQueue.AfterFailure.FAILED);
        return eventId;
    }
}
