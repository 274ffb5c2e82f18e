package io.uploadguard.enforcer.notifications;

import io.uploadguard.ledger.notifications.DeliveryAdmin;
import io.uploadguard.ledger.notifications.DeliveryRecord;
import io.uploadguard.security.ApiError;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notifications part of the admin API: list deliveries by status, redeliver failed ones. Under
 * {@code /admin/**}, so the admin role is required as for the rest of the admin API.
 */
@RestController
@RequestMapping("/admin/notifications")
@ConditionalOnWebApplication
class NotificationsAdminController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** @param deliveries newest event first */
    record DeliveryList(String status, List<DeliveryRecord> deliveries) {}

    /** @param redelivered how many deliveries (one per failed channel) are due again */
    record Redelivered(int redelivered) {}

    /** A request refused on purpose, answered as {@code {error, message}}. */
    static final class Refused extends RuntimeException {
        private final int status;
        private final String error;

        Refused(int status, String error, String message) {
            super(message, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    private final DeliveryAdmin deliveries;
    private final NotificationProperties properties;
    private final Clock clock;

    NotificationsAdminController(DeliveryAdmin deliveries, NotificationProperties properties, Clock clock) {
        this.deliveries = deliveries;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping
    DeliveryList list(
            @RequestParam(defaultValue = "failed") String status, @RequestParam(required = false) String limit) {
        String wanted = status.toUpperCase(Locale.ROOT);
        if (!DeliveryAdmin.STATUSES.contains(wanted)) {
            throw new Refused(400, "malformed_request", "status must be pending, delivered or failed");
        }
        return new DeliveryList(status.toLowerCase(Locale.ROOT), deliveries.list(wanted, limit(limit)));
    }

    @PostMapping("/{eventId}/redeliver")
    Redelivered redeliver(@PathVariable String eventId) {
        UUID id;
        try {
            id = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "malformed_request", "the event id must be a UUID");
        }
        int count = deliveries.redeliver(id, properties.horizon(), clock.instant());
        if (count == 0) {
            throw new Refused(404, "not_found", "no failed delivery of event " + id);
        }
        return new Redelivered(count);
    }

    @PostMapping("/redeliver")
    Redelivered redeliverFailedSince(@RequestParam(required = false) String failedSince) {
        Instant since;
        try {
            since = Instant.parse(failedSince == null ? "" : failedSince);
        } catch (DateTimeParseException e) {
            throw new Refused(
                    400, "malformed_request", "failedSince must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
        }
        return new Redelivered(deliveries.redeliverFailedSince(since, properties.horizon(), clock.instant()));
    }

    @ExceptionHandler(Refused.class)
    ResponseEntity<ApiError> refused(Refused e) {
        return ResponseEntity.status(e.status).body(ApiError.of(e.error, e.getMessage()));
    }

    private static int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Refused(400, "malformed_request", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
