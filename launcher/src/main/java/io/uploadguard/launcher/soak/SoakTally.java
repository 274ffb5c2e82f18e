package io.uploadguard.launcher.soak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The uploads of a soak counted by what became of them: refusals explained by a fault apart from
 * errors, lost uploads (PUT ok, no verdict) and wrong verdicts listed.
 */
final class SoakTally {

    /** Client errors this soon after a part came back are still its fault (stale connections, warm-up). */
    private static final java.time.Duration FAULT_SLACK = java.time.Duration.ofSeconds(5);

    int signed;
    int putOk;
    int settled;
    int accepted;
    int quarantined;
    int rejectedOtherwise;
    int refusedSigning;
    int refusedPut;
    int storedDespiteError;
    final Map<String, Integer> errors = new TreeMap<>();
    final List<String> lost = new ArrayList<>();
    final List<String> wrong = new ArrayList<>();

    static SoakTally of(List<SoakUpload> all, List<SoakFault> injected) {
        SoakTally t = new SoakTally();
        for (SoakUpload u : all) {
            t.count(u, injected);
        }
        return t;
    }

    SoakSummary.Counts counts(int attempted, int statusPolls, int statusPollsFailed) {
        return new SoakSummary.Counts(
                attempted,
                signed,
                putOk,
                settled,
                accepted,
                quarantined,
                rejectedOtherwise,
                refusedSigning,
                refusedPut,
                storedDespiteError,
                errors,
                statusPolls,
                statusPollsFailed);
    }

    /**
     * A verdict decided while PostgreSQL was down was booked once it came back, not before: sets
     * each settled upload's {@code verdictAt}.
     */
    static void bookVerdictTimes(List<SoakUpload> all, List<SoakFault> injected) {
        for (SoakUpload u : all) {
            if (u.settled() && u.settledAt != null) {
                Instant at = u.settledAt;
                for (SoakFault f : injected) {
                    if (f.kind == SoakFault.Kind.POSTGRES
                            && f.healedAt != null
                            && !at.isBefore(f.startedAt)
                            && at.isBefore(f.healedAt)) {
                        at = f.healedAt;
                    }
                }
                u.verdictAt = at;
            }
        }
    }

    private void count(SoakUpload u, List<SoakFault> injected) {
        if (u.signed()) {
            signed++;
        }
        switch (u.outcome) {
            case PUT_OK -> putOk++;
            case SIGN_FAILED, SIGN_REFUSED -> {
                if (serverFailedDuring(injected, SoakFault.Kind.POSTGRES, u, SoakUpload.Outcome.SIGN_FAILED)) {
                    refusedSigning++;
                } else {
                    error("signing "
                            + (u.outcome == SoakUpload.Outcome.SIGN_FAILED ? u.detail : u.httpStatus + " " + u.detail));
                }
            }
            case PUT_FAILED, PUT_REFUSED -> {
                if (serverFailedDuring(injected, SoakFault.Kind.S3, u, SoakUpload.Outcome.PUT_FAILED)) {
                    refusedPut++;
                } else {
                    error("PUT " + (u.outcome == SoakUpload.Outcome.PUT_FAILED ? u.detail : "HTTP " + u.httpStatus));
                }
                if (u.settled()) {
                    storedDespiteError++;
                }
            }
            default -> error("never sent (the run was cut short)");
        }
        if (u.outcome == SoakUpload.Outcome.PUT_OK && !u.settled()) {
            lost.add(u.uploadId + " (" + u.user + ", upload " + u.index + ", last status " + u.status + ")");
        }
        if (u.settled()) {
            settled++;
            if (u.status.equals("accepted")) {
                accepted++;
            } else if ("quarantined".equals(u.action)) {
                quarantined++;
            } else {
                rejectedOtherwise++;
            }
            String expectedAction = u.disguised ? "quarantined" : "promoted";
            if (!u.status.equals(u.expectedStatus())
                    || !expectedAction.equals(u.action)
                    || (u.disguised && !u.reasons.contains("TYPE_MISMATCH"))) {
                wrong.add(u.uploadId + " (" + (u.disguised ? "disguised HTML" : "honest PNG") + "): " + u.status + " "
                        + u.action + " " + u.reasons);
            }
        }
    }

    /** Whether a fault of this kind was going on while the upload was being sent. */
    private void error(String what) {
        errors.merge(what, 1, Integer::sum);
    }

    /**
     * A failure the fault explains: the server's side ({@code unanswered}, or a 5xx) while a fault
     * of {@code kind} was on.
     */
    private static boolean serverFailedDuring(
            List<SoakFault> faults, SoakFault.Kind kind, SoakUpload u, SoakUpload.Outcome unanswered) {
        boolean serverSide = u.outcome == unanswered || u.httpStatus >= 500;
        return serverSide && during(faults, kind, u);
    }

    private static boolean during(List<SoakFault> faults, SoakFault.Kind kind, SoakUpload u) {
        Instant from = u.startedAt != null ? u.startedAt : u.scheduledAt;
        Instant to = u.endedAt != null ? u.endedAt : Instant.now();
        return faults.stream().anyMatch(f -> f.kind == kind && f.overlaps(from, to, FAULT_SLACK));
    }
}
