package io.uploadguard.enforcer.enforcement;

import io.uploadguard.security.ConditionalOnServerMode;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Releases expired reservations on a timer in the long-running worker. A Lambda is not running
 * between invocations, so there an EventBridge schedule invokes {@code releaseExpiredReservations}
 * instead.
 */
@Component
@ConditionalOnServerMode
class ReservationReleaser {

    private final ExpiredReservations reservations;

    ReservationReleaser(ExpiredReservations reservations) {
        this.reservations = reservations;
    }

    @Scheduled(fixedDelayString = "${uploadguard.enforcer.release-interval:30s}", initialDelayString = "5s")
    void releaseExpired() {
        reservations.release();
    }
}
