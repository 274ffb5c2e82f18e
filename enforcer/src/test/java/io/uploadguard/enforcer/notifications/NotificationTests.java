package io.uploadguard.enforcer.notifications;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the notification tests build their cases from: bookings as the services make them, and dispatchers. */
final class NotificationTests {

    static final String BUCKET = "notification-tests";
    static final Quota ROOMY = new Quota(100_000_000, 1000, 10_000, 1000, Duration.ofHours(1));
    static final KeyLayout LAYOUT = KeyLayout.DEFAULT;
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Short, but long enough for a loaded test machine to answer a local request within it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

    private NotificationTests() {}

    static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Settings for a test: plain http allowed, small back-off, a short request timeout.
     *
     * @param horizon how long a delivery is retried
     */
    static NotificationProperties properties(URI url, String secret, String channel, Duration horizon) {
        return new NotificationProperties(
                true,
                true,
                Duration.ofSeconds(1),
                50,
                4,
                REQUEST_TIMEOUT,
                horizon,
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                Duration.ofSeconds(15),
                Duration.ofDays(7),
                List.of(new NotificationProperties.Webhook(channel, url, List.of(secret), Set.of(), Set.of())),
                new NotificationProperties.EventBridge("", ""),
                new NotificationProperties.Sns("", ""));
    }

    /** A dispatcher over the test database with the channels of {@code properties}, on a clock of the caller's. */
    static NotificationDispatcher dispatcher(
            NotificationTestDatabase db, NotificationProperties properties, Clock clock, SimpleMeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.requestTimeout())
                .build();
        NotificationChannels channels = NotificationChannels.from(properties, http, clock, null, null);
        return new NotificationDispatcher(
                db.queue,
                db.deliveries,
                channels,
                properties,
                new NotificationMetrics(meters, channels.names()),
                NotificationConfiguration.senders(properties),
                clock);
    }

    /** Reserves an upload for {@code user} with a client reference, as the signer does. */
    static Upload reserve(QuotaLedger ledger, String user, String clientReference) {
        ReservationRequest request = new ReservationRequest(
                UUID.randomUUID(),
                user,
                "avatar",
                BUCKET,
                LAYOUT.newIncomingKey(user, "image/png"),
                "image/png",
                1000,
                null,
                null,
                Instant.now().plus(Duration.ofMinutes(5)),
                clientReference);
        return ((ReserveOutcome.Reserved) ledger.reserve(request, ROOMY, Instant.now())).upload();
    }

    /** Books it accepted, promoted to its served key; returns the served key. */
    static String accept(QuotaLedger ledger, Upload upload) {
        String served = LAYOUT.servedKey(upload.objectKey());
        ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "etag", served, Instant.now());
        return served;
    }

    static void quarantine(QuotaLedger ledger, Upload upload) {
        ledger.reject(
                BUCKET,
                upload.objectKey(),
                List.of("TYPE_MISMATCH"),
                1000L,
                "text/html",
                "etag",
                UploadAction.QUARANTINED,
                LAYOUT.quarantineKey(upload.objectKey()),
                ROOMY,
                Instant.now());
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }
}
