package io.uploadguard.launcher.soak;

import java.time.Duration;
import java.time.Instant;

/** One fault a soak injected: what, when it started, when the part was back. */
final class SoakFault {

    enum Kind {
        S3("s3", "S3 (S3Proxy) down"),
        SQS("sqs", "SQS unreachable (relay cut)"),
        POSTGRES("postgres", "PostgreSQL down"),
        ENFORCER("enforcer", "enforcer kill -9, then restart");

        final String id;
        final String label;

        Kind(String id, String label) {
            this.id = id;
            this.label = label;
        }

        static Kind byId(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id)) {
                    return kind;
                }
            }
            return null;
        }
    }

    final int number;
    final Kind kind;
    final Duration planned;
    volatile Instant startedAt;
    /** When the part was asked to come back (for the enforcer: when its restart began). */
    volatile Instant healAskedAt;
    /** When it was back: the server answering again, or the restarted enforcer ready. */
    volatile Instant healedAt;

    volatile String error;
    /** Set by the poller the first time it sees a verdict settled after {@link #healedAt}. */
    volatile boolean flowSeen;

    SoakFault(int number, Kind kind, Duration planned) {
        this.number = number;
        this.kind = kind;
        this.planned = planned;
    }

    /** Whether the fault was going on at some moment of [from, to], with {@code slack} after it ended. */
    boolean overlaps(Instant from, Instant to, Duration slack) {
        if (startedAt == null || to.isBefore(startedAt)) {
            return false;
        }
        Instant end = healedAt == null ? Instant.MAX : healedAt.plus(slack);
        return !from.isAfter(end);
    }
}
