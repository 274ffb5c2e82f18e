package io.uploadguard.launcher.soak;

import java.time.Duration;
import java.time.Instant;

/**
 * One upload a soak attempted, and what became of it. Written by the worker that sent it and by
 * the poller that follows its verdict, read by the summary: hence the volatile fields.
 */
final class SoakUpload {

    enum Outcome {
        /** not sent yet */
        PENDING,
        /** no answer from the signer (connection refused, reset) */
        SIGN_FAILED,
        /** the signer answered, but not 201 */
        SIGN_REFUSED,
        /** signed, but no answer from S3 */
        PUT_FAILED,
        /** signed, but S3 answered other than 200 */
        PUT_REFUSED,
        PUT_OK
    }

    final int index;
    final String user;
    final boolean disguised;
    final int size;
    final Instant scheduledAt;

    volatile Instant startedAt;
    volatile Instant endedAt;
    volatile Outcome outcome = Outcome.PENDING;
    volatile int httpStatus;
    /** The refusal's error code or the exception, for the summary. */
    volatile String detail;

    volatile String uploadId;
    volatile Instant putAnsweredAt;

    /** The last status the signer gave: reserved, accepted, rejected, expired... */
    volatile String status;

    volatile Instant settledAt;
    /** When the verdict was booked as far as the soak can tell; see {@link #latency()}. */
    volatile Instant verdictAt;

    volatile String action;
    volatile String reasons;
    volatile long nextPollNanos;

    SoakUpload(int index, String user, boolean disguised, int size, Instant scheduledAt) {
        this.index = index;
        this.user = user;
        this.disguised = disguised;
        this.size = size;
        this.scheduledAt = scheduledAt;
    }

    /** Honest PNGs are accepted; HTML declared as image/png is rejected (and quarantined). */
    String expectedStatus() {
        return disguised ? "rejected" : "accepted";
    }

    boolean settled() {
        return "accepted".equals(status) || "rejected".equals(status);
    }

    boolean signed() {
        return uploadId != null;
    }

    /**
     * From the PUT's answer to the verdict: the enforcer's {@code settledAt}, stamped on the same
     * machine, so the figure does not depend on how often the soak polls. The stamp is taken when
     * the enforcer decides, before it books; the summary moves it to the end of a PostgreSQL
     * outage it fell in ({@link #verdictAt}), since nothing is booked before the database is back.
     * S3 may send the event before the client has read its answer, so a verdict can be stamped a
     * hair earlier: that is 0.
     */
    Duration latency() {
        Instant verdict = verdictAt != null ? verdictAt : settledAt;
        if (verdict == null || putAnsweredAt == null) {
            return null;
        }
        Duration latency = Duration.between(putAnsweredAt, verdict);
        return latency.isNegative() ? Duration.ZERO : latency;
    }
}
