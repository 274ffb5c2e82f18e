package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.policy.QuotaKind;
import java.time.Duration;
import java.time.Instant;

/** The answer to a reservation: held, or refused and why. A refusal changed nothing. */
public sealed interface ReserveOutcome {

    /** Held; also the answer to a repeated request for the same upload id. */
    record Reserved(Upload upload) implements ReserveOutcome {}

    record Blocked(Instant until, String reason) implements ReserveOutcome {}

    /** @param retryAfter until the rate window ends, in whole seconds, at least one */
    record RateLimited(Duration retryAfter) implements ReserveOutcome {}

    /**
     * @param which the limit the request would go over
     * @param limit the user's limit
     * @param wouldBe used plus reserved plus this request
     */
    record QuotaExceeded(QuotaKind which, long limit, long wouldBe) implements ReserveOutcome {}
}
