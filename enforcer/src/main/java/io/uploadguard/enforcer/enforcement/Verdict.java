package io.uploadguard.enforcer.enforcement;

import io.uploadguard.ledger.policy.Reason;
import java.util.List;

/**
 * Accept, or reject with every reason that applies.
 *
 * @param reasons empty exactly when accepted
 */
public record Verdict(boolean accepted, List<Reason> reasons) {

    private static final Verdict ACCEPT = new Verdict(true, List.of());

    public Verdict {
        reasons = List.copyOf(reasons);
        if (accepted != reasons.isEmpty()) {
            throw new IllegalArgumentException(
                    accepted
                            ? "an accepted verdict has no reasons, got " + reasons
                            : "a rejection needs at least one reason");
        }
    }

    public static Verdict accept() {
        return ACCEPT;
    }

    /** @throws IllegalArgumentException if there is no reason, as the ledger refuses such a rejection */
    public static Verdict reject(List<Reason> reasons) {
        return new Verdict(false, reasons);
    }

    /** The reasons as the ledger stores them. */
    public List<String> reasonNames() {
        return reasons.stream().map(Reason::name).toList();
    }
}
