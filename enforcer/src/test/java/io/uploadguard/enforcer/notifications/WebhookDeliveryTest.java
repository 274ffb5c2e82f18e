package io.uploadguard.enforcer.notifications;

import static io.uploadguard.enforcer.notifications.NotificationTests.BUCKET;
import static io.uploadguard.enforcer.notifications.NotificationTests.ROOMY;
import static io.uploadguard.enforcer.notifications.NotificationTests.accept;
import static io.uploadguard.enforcer.notifications.NotificationTests.json;
import static io.uploadguard.enforcer.notifications.NotificationTests.quarantine;
import static io.uploadguard.enforcer.notifications.NotificationTests.reserve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.uploadguard.enforcer.notifications.WebhookReceiver.Arrival;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.notifications.DeliveryRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dispatcher against the sandbox's PostgreSQL and a real HTTP receiver: every booked event
 * arrives, signed, with the client reference, in order per upload, whatever the receiver does
 * meanwhile (gone, 500, too slow); a retry carries the same event id.
 */
@Tag("integration")
class WebhookDeliveryTest {

    private final NotificationTestDatabase db = NotificationTestDatabase.shared();
    private final String secret = NotificationTests.newSecret();
    private final String channel = "webhook-test-" + UUID.randomUUID();
    private final String user = "notify-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private WebhookReceiver receiver;
    private NotificationDispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver(secret);
        dispatcher = dispatcherWithHorizon(Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        receiver.close();
    }

    private NotificationDispatcher dispatcherWithHorizon(Duration horizon) {
        return NotificationTests.dispatcher(
                db, NotificationTests.properties(receiver.url(), secret, channel, horizon), Clock.systemUTC(), meters);
    }

    /** The events booked for this test's user, by id. */
    private Set<String> booked() {
        return new HashSet<>(db.jdbc
                .sql("SELECT CAST(id AS text) FROM notification_outbox WHERE user_id = :user")
                .param("user", user)
                .query(String.class)
                .list());
    }

    /** The arrivals about this test's user that the receiver took (2xx), in order. */
    private List<JsonNode> taken() {
        return receiver.accepted().stream()
                .map(a -> json(a.body()))
                .filter(event -> user.equals(event.get("data").get("userId").asString()))
                .toList();
    }

    /** Runs dispatcher rounds until {@code done}; the rounds are the dispatcher's own, not a sleep. */
    private void dispatchUntil(Callable<Boolean> done) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    dispatcher.dispatchOnce();
                    return done.call();
                });
    }

    private void allBookedTaken() {
        dispatchUntil(() -> {
            Set<String> ids = new HashSet<>();
            taken().forEach(event -> ids.add(event.get("id").asString()));
            return ids.containsAll(booked());
        });
    }

    @Test
    void eachKindArrivesOnceSignedWithTheClientReference() {
        Upload accepted = reserve(db.ledger, user, "ref-accepted");
        String served = accept(db.ledger, accepted);
        db.ledger.remove(BUCKET, served, Instant.now());
        Upload released = reserve(db.ledger, user, "ref-released");
        quarantine(db.ledger, released);
        db.admin.releaseQuarantined(released.uploadId(), "served/x", false, ROOMY, "ops", "false alarm", Instant.now());
        Upload purged = reserve(db.ledger, user, "ref-purged");
        quarantine(db.ledger, purged);
        db.admin.purgeQuarantined(purged.uploadId(), "ops", "malware", Instant.now());
        Upload gone = reserve(db.ledger, user, "ref-gone");
        db.ledger.markGone(BUCKET, gone.objectKey(), Instant.now());
        db.admin.block(user, Duration.ofHours(1), "spam", "ops", Instant.now());
        db.admin.unblock(user, "ops", "sorry", Instant.now());

        dispatchUntil(() -> taken().size() >= 9);

        List<JsonNode> events = taken();
        assertThat(events)
                .extracting(e -> e.get("type").asString())
                .containsExactlyInAnyOrder(
                        "upload.accepted",
                        "upload.removed",
                        "upload.rejected",
                        "upload.released",
                        "upload.rejected",
                        "upload.purged",
                        "upload.gone",
                        "user.blocked",
                        "user.unblocked");
        assertThat(receiver.arrivals()).allMatch(Arrival::verified);
        assertThat(events.stream().map(e -> e.get("id").asString()).distinct()).hasSize(9);
        assertThat(booked()).hasSize(9);
        for (JsonNode event : events) {
            JsonNode data = event.get("data");
            if (event.get("type").asString().startsWith("upload.")) {
                assertThat(data.get("clientReference").asString()).startsWith("ref-");
                assertThat(data.get("key").asString()).startsWith("incoming/");
            }
        }
        assertThat(types(events, accepted.uploadId())).containsExactly("upload.accepted", "upload.removed");
        assertThat(types(events, released.uploadId())).containsExactly("upload.rejected", "upload.released");
        assertThat(meters.get(NotificationMetrics.DELIVERIES)
                        .tags("channel", channel, "outcome", "delivered")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(9);
    }

    private static List<String> types(List<JsonNode> events, UUID uploadId) {
        return events.stream()
                .filter(e -> e.get("data").has("uploadId"))
                .filter(e ->
                        uploadId.toString().equals(e.get("data").get("uploadId").asString()))
                .map(e -> e.get("type").asString())
                .toList();
    }

    @Test
    void nothingIsLostWhileTheReceiverIsDownFailingOrSlowAndOrderHolds() throws Exception {
        receiver.down();
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Upload upload = reserve(db.ledger, user, "ref-" + i);
            db.ledger.remove(BUCKET, accept(db.ledger, upload), Instant.now());
            uploads.add(upload);
        }
        // down: every delivery of this user is tried at least twice
        dispatchUntil(() -> minAttempts() >= 2);
        receiver.up();
        receiver.mode(WebhookReceiver.Mode.ERROR_500);
        dispatchUntil(() ->
                receiver.arrivals().stream().filter(a -> a.answered() == 500).count() >= 3);
        receiver.slowness(NotificationTests.REQUEST_TIMEOUT.multipliedBy(2));
        receiver.mode(WebhookReceiver.Mode.SLOW);
        dispatchUntil(() -> slowAnswers() >= 1);
        receiver.mode(WebhookReceiver.Mode.OK);

        allBookedTaken();

        Map<String, String> idByEvent = new HashMap<>();
        for (Arrival arrival : receiver.arrivals()) {
            JsonNode event = json(arrival.body());
            String what = event.get("data").path("uploadId").asString("") + " "
                    + event.get("type").asString();
            // a retry is the same event: it carries the same id
            assertThat(idByEvent.computeIfAbsent(what, k -> arrival.id())).isEqualTo(arrival.id());
            assertThat(event.get("id").asString()).isEqualTo(arrival.id());
        }
        for (Upload upload : uploads) {
            assertThat(firstArrivals(upload.uploadId())).containsExactly("upload.accepted", "upload.removed");
        }
        assertThat(meters.get(NotificationMetrics.DELIVERIES)
                        .tags("channel", channel, "outcome", "retried")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(6);
    }

    /** The types in the order they first arrived at all (any answer), for one upload. */
    private List<String> firstArrivals(UUID uploadId) {
        List<String> seen = new ArrayList<>();
        for (Arrival arrival : receiver.arrivals()) {
            JsonNode event = json(arrival.body());
            if (uploadId.toString().equals(event.get("data").path("uploadId").asString(""))
                    && !seen.contains(event.get("type").asString())) {
                seen.add(event.get("type").asString());
            }
        }
        return seen;
    }

    private int minAttempts() {
        return db.jdbc
                .sql("""
                        SELECT coalesce(min(d.attempts), 0) FROM notification_deliveries d
                          JOIN notification_outbox o ON o.id = d.event_id
                         WHERE o.user_id = :user AND d.channel = :channel
                           AND NOT EXISTS (SELECT 1 FROM notification_outbox e
                                            WHERE e.order_key = o.order_key AND e.sequence < o.sequence)""")
                .param("user", user)
                .param("channel", channel)
                .query(Integer.class)
                .single();
    }

    private long slowAnswers() {
        // a slow answer is recorded once the receiver answers, after the dispatcher gave up on it
        return receiver.arrivals().stream().filter(a -> a.answered() == 200).count();
    }

    @Test
    void aDeliveryPastItsHorizonIsFailedThenRedeliveredByAnOperator() {
        dispatcher.close();
        dispatcher = dispatcherWithHorizon(Duration.ofMillis(300));
        receiver.mode(WebhookReceiver.Mode.ERROR_500);
        Upload upload = reserve(db.ledger, user, "ref-failing");
        accept(db.ledger, upload);

        dispatchUntil(() -> failed().size() == 1);
        DeliveryRecord failed = failed().get(0);
        // on a loaded machine a 500 may come too late: a timeout is as much a failure
        assertThat(failed.lastError())
                .isIn("answered HTTP 500", "no answer within " + NotificationTests.REQUEST_TIMEOUT);
        assertThat(failed.uploadId()).isEqualTo(upload.uploadId());
        assertThat(meters.get(NotificationMetrics.DELIVERIES)
                        .tags("channel", channel, "outcome", "failed")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);

        receiver.mode(WebhookReceiver.Mode.OK);
        assertThat(db.deliveries.redeliver(failed.eventId(), Duration.ofHours(1), Instant.now()))
                .isEqualTo(1);
        allBookedTaken();
        assertThat(failed()).isEmpty();
        assertThat(taken())
                .extracting(e -> e.get("id").asString())
                .containsExactly(failed.eventId().toString());
    }

    private List<DeliveryRecord> failed() {
        return db.deliveries.list("FAILED", 200).stream()
                .filter(d -> d.channel().equals(channel) && user.equals(d.userId()))
                .toList();
    }
}
