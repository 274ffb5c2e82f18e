package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.LedgerRows.micros;

import java.time.Instant;

/**
 * Who asks for an admin change, why, and when: what every audit row records.
 *
 * @param actor the admin token's user claim
 * @param at cut to microseconds, as the ledger stores it
 */
record Operator(String actor, String reason, Instant at) {

    Operator {
        AdminArguments.requireText("reason", reason);
        AdminArguments.requireText("actor", actor);
        at = micros(at);
    }
}
