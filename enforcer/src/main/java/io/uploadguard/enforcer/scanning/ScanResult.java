package io.uploadguard.enforcer.scanning;

import java.util.List;
import java.util.Objects;

/** What a scanner made of one object. */
public sealed interface ScanResult {

    /** The label used in metrics: a closed set. */
    String outcome();

    /** Scanned to the end; nothing found. */
    record Clean() implements ScanResult {
        @Override
        public String outcome() {
            return "clean";
        }
    }

    /** @param signatures the names the scanner reported, at least one */
    record Infected(List<String> signatures) implements ScanResult {
        public Infected {
            signatures = List.copyOf(signatures);
            if (signatures.isEmpty()) {
                throw new IllegalArgumentException("an infected result names at least one signature");
            }
        }

        @Override
        public String outcome() {
            return "infected";
        }
    }

    /**
     * Not scanned to the end, so nothing is known.
     *
     * @param why for logs and the operator, never shown to the uploader
     * @param retryable whether another attempt may succeed (the scanner was unreachable or timed out);
     *     false when the object itself is beyond the scanner (over its size or archive limits)
     */
    record CouldNotScan(String why, boolean retryable) implements ScanResult {
        public CouldNotScan {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String outcome() {
            return retryable ? "unavailable" : "over_limits";
        }
    }
}
