package io.uploadguard.signer;

import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.security.ApiException;
import java.util.Optional;

/** What the uploader is told when the ledger refuses a reservation; empty when it was reserved. */
final class ReservationRefusals {

    private ReservationRefusals() {}

    static Optional<ApiException> of(ReserveOutcome outcome) {
        if (outcome instanceof ReserveOutcome.Blocked b) {
            return Optional.of(ApiException.blocked(b.until(), b.reason()));
        }
        if (outcome instanceof ReserveOutcome.RateLimited r) {
            return Optional.of(ApiException.rateLimited(r.retryAfter()));
        }
        if (outcome instanceof ReserveOutcome.QuotaExceeded q) {
            return Optional.of(ApiException.of(
                    429,
                    "quota_exceeded",
                    "this upload would bring your " + q.which().label() + " to " + q.wouldBe()
                            + ", above your limit of " + q.limit()));
        }
        return Optional.empty();
    }
}
