package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.security.ConditionalOnServerMode;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives back the quota of reservations whose URL expired unused. Safe with several enforcer
 * instances: the ledger skips rows another instance has locked.
 */
@Component
@ConditionalOnServerMode
class ReservationReleaser {

    private static final Logger log = LoggerFactory.getLogger(ReservationReleaser.class);
    private static final int BATCH = 500;

    private final QuotaLedger ledger;
    private final EnforcerProperties properties;
    private final Clock clock;

    ReservationReleaser(QuotaLedger ledger, EnforcerProperties properties, Clock clock) {
        this.ledger = ledger;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${uploadguard.enforcer.release-interval:30s}", initialDelayString = "5s")
    void releaseExpired() {
        int total = 0;
        int released;
        do {
            released =
                    ledger.releaseExpired(clock.instant(), properties.enforcer().reservationGrace(), BATCH);
            total += released;
        } while (released == BATCH);
        if (total > 0) {
            log.info("released {} expired reservations", total);
        }
    }
}
