package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.ledger.booking.QuotaLedger;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gives back the quota of reservations whose URL expired unused. Safe with several enforcer
 * instances: the ledger skips rows another instance has locked. Triggered by
 * {@link ReservationReleaser} in the worker and by the {@code releaseExpiredReservations} function
 * on a schedule in Lambda mode.
 */
@Component
public class ExpiredReservations {

    private static final Logger log = LoggerFactory.getLogger(ExpiredReservations.class);
    private static final int BATCH = 500;

    private final QuotaLedger ledger;
    private final AbandonedMultipartUploads multipart;
    private final EnforcerProperties properties;
    private final Clock clock;

    ExpiredReservations(
            QuotaLedger ledger, AbandonedMultipartUploads multipart, EnforcerProperties properties, Clock clock) {
        this.ledger = ledger;
        this.multipart = multipart;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Releases every reservation past its expiry and grace, open multipart uploads after aborting
     * them in S3 ({@link AbandonedMultipartUploads}); returns how many.
     */
    public int release() {
        int total = multipart.abort();
        int released;
        do {
            released =
                    ledger.releaseExpired(clock.instant(), properties.enforcer().reservationGrace(), BATCH);
            total += released;
        } while (released == BATCH);
        if (total > 0) {
            log.info("released {} expired reservations (multipart uploads included)", total);
        }
        return total;
    }
}
