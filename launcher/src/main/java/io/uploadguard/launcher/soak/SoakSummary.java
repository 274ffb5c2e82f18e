package io.uploadguard.launcher.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a soak found, printed as one block at the end. {@link #passed()} is the exit status:
 * every upload whose PUT succeeded settled once with the verdict it deserved, the books match the
 * uploads, the invariants hold, and nothing was left in the dead-letter queue.
 */
record SoakSummary(
        SoakOptions options,
        Machine machine,
        Duration uploadPhase,
        Duration drain,
        Duration total,
        int users,
        int identities,
        Counts counts,
        Rates rates,
        Latency latency,
        Latency latencyClear,
        List<FaultResult> faults,
        int deadLettersRedriven,
        int deadLettersLeft,
        List<String> lost,
        List<String> wrongVerdicts,
        int accountsChecked,
        List<String> booksMismatches,
        Reconciliation reconciliation) {

    /**
     * @param refusedSigningInFaults signing that failed while PostgreSQL was down: not a loss, nothing was reserved
     * @param refusedPutInFaults PUTs that failed while S3 was down: not a loss, nothing was stored
     * @param storedDespiteError PUTs whose answer was an error but whose object S3 kept (and the enforcer judged)
     * @param errors anything else that went wrong, by kind (each one is explained by no fault)
     * @param statusPolls the soak's own load on the signer: GET /uploads/{id} to follow the verdicts
     */
    record Counts(
            int attempted,
            int signed,
            int putOk,
            int settled,
            int accepted,
            int quarantined,
            int rejectedOtherwise,
            int refusedSigningInFaults,
            int refusedPutInFaults,
            int storedDespiteError,
            Map<String, Integer> errors,
            int statusPolls,
            int statusPollsFailed) {}

    /**
     * @param lowestWindowPerSecond the lowest PUT-ok rate over the 10-second windows of the run
     * @param maxStartLag how late the latest upload started after its tick (the client keeping up)
     */
    record Rates(
            double target,
            double attemptedPerSecond,
            double putOkPerSecond,
            double lowestWindowPerSecond,
            Duration maxStartLag) {}

    /** The cores and the 1-minute load average during the run (-1: not available). */
    record Machine(int cores, double loadMean, double loadMax) {}

    record Latency(int count, Duration p50, Duration p90, Duration p99, Duration max) {}

    /**
     * @param restart for the enforcer: how long its restart took until ready; null otherwise
     * @param verdictsAgain from the part being back to the first verdict settled after
     * @param backlogCleared from the part being back until every upload PUT before then had its verdict
     * @param clearedAfterNextFault the backlog was not cleared before the next fault began, which then added to it
     */
    record FaultResult(
            int number,
            SoakFault.Kind kind,
            Duration startedAfter,
            Duration down,
            Duration restart,
            Duration verdictsAgain,
            Duration backlogCleared,
            boolean clearedAfterNextFault,
            String error) {}

    record Reconciliation(boolean consistent, String description) {}

    boolean passed() {
        return lost.isEmpty()
                && wrongVerdicts.isEmpty()
                && booksMismatches.isEmpty()
                && reconciliation.consistent()
                && deadLettersLeft == 0
                && faults.stream().allMatch(f -> f.error() == null);
    }

    void print(PrintStream out) {
        Counts c = counts;
        out.println();
        out.println("SOAK SUMMARY  seed " + options.seed() + "  (rerun: " + options.rerunCommand() + ")");
        row(out, "duration", "uploads %s, drain %s, total %s", seconds(uploadPhase), seconds(drain), seconds(total));
        row(
                out,
                "machine",
                "%d cores, load average %s",
                machine.cores(),
                machine.loadMean() < 0
                        ? "not available"
                        : String.format(
                                Locale.ROOT,
                                "%.1f on average, %.1f at most (everything runs here: sandbox, signer, "
                                        + "enforcer, the soak)",
                                machine.loadMean(),
                                machine.loadMax()));
        row(
                out,
                "users",
                "%d at a time, %d identities (a fresh one after 2 disguised uploads or 900 uploads, "
                        + "so none is blocked or over quota)",
                users,
                identities);
        row(
                out,
                "uploads",
                "attempted %d, signed %d, PUT ok %d, settled %d (accepted %d, quarantined %d%s)",
                c.attempted(),
                c.signed(),
                c.putOk(),
                c.settled(),
                c.accepted(),
                c.quarantined(),
                c.rejectedOtherwise() == 0 ? "" : ", rejected otherwise " + c.rejectedOtherwise());
        row(
                out,
                "refused in faults",
                "signing %d (PostgreSQL down), PUT %d (S3 down); not losses: nothing was " + "reserved or stored",
                c.refusedSigningInFaults(),
                c.refusedPutInFaults());
        if (c.storedDespiteError() > 0) {
            row(
                    out,
                    "",
                    "%d PUT(s) answered with an error but stored by S3, and judged like the others",
                    c.storedDespiteError());
        }
        row(
                out,
                "errors",
                "%s",
                c.errors().isEmpty() ? "none outside the faults" : c.errors().toString());
        row(
                out,
                "status polls",
                "%d GET /uploads/{id} (%.1f/s over the run), %d failed and retried",
                c.statusPolls(),
                c.statusPolls() / (total.toMillis() / 1000.0),
                c.statusPollsFailed());
        row(
                out,
                "rate",
                "target %.1f/s, attempted %.2f/s, PUT ok %.2f/s held (lowest 10 s window %.1f/s), "
                        + "latest start %s behind its tick",
                rates.target(),
                rates.attemptedPerSecond(),
                rates.putOkPerSecond(),
                rates.lowestWindowPerSecond(),
                millis(rates.maxStartLag()));
        row(out, "upload-to-verdict", "%s (all %d settled)", latencyText(latency), latency.count());
        row(
                out,
                "",
                "%s (the %d clear of faults: no fault, nor its backlog, while they waited)",
                latencyText(latencyClear),
                latencyClear.count());
        row(out, "faults", "%d injected%s", faults.size(), faults.isEmpty() ? "" : ":");
        for (FaultResult f : faults) {
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT,
                    "#%d at +%-9s %-31s down %s",
                    f.number(),
                    seconds(f.startedAfter()),
                    f.kind().label,
                    seconds(f.down())));
            if (f.restart() != null) {
                line.append(", restart took ").append(seconds(f.restart()));
            }
            line.append(";  verdicts again ")
                    .append(f.verdictsAgain() == null ? "-" : seconds(f.verdictsAgain()))
                    .append(" after it was back, backlog cleared after ")
                    .append(f.backlogCleared() == null ? "-" : seconds(f.backlogCleared()))
                    .append(f.clearedAfterNextFault() ? " (the next fault began before)" : "");
            if (f.error() != null) {
                line.append("  ERROR: ").append(f.error());
            }
            row(out, "", "  %s", line);
        }
        row(
                out,
                "dead-letter queue",
                "%d message(s) redriven at the end, %d left",
                deadLettersRedriven,
                deadLettersLeft);
        row(
                out,
                "lost uploads",
                "%s",
                lost.isEmpty() ? "none: every PUT-ok upload settled" : lost.size() + ": " + first(lost));
        row(
                out,
                "verdicts",
                "%s",
                wrongVerdicts.isEmpty()
                        ? "as expected: honest PNGs accepted and promoted, disguised " + "HTML quarantined"
                        : wrongVerdicts.size() + " unexpected: " + first(wrongVerdicts));
        row(
                out,
                "books",
                "%s",
                booksMismatches.isEmpty()
                        ? accountsChecked + " accounts: used and reserved equal this "
                                + "run's uploads, exactly once; none blocked"
                        : booksMismatches.size() + " account(s) differ: " + first(booksMismatches));
        row(out, "reconciliation", "%s", reconciliation.description());
        out.println(
                passed()
                        ? "RESULT PASSED: no upload lost, every verdict booked once, invariants hold"
                        : "RESULT FAILED: see lost uploads, verdicts, books, reconciliation and faults above");
    }

    private static void row(PrintStream out, String label, String format, Object... args) {
        out.println(String.format(Locale.ROOT, "  %-18s ", label) + String.format(Locale.ROOT, format, args));
    }

    private static String latencyText(Latency l) {
        if (l.count() == 0) {
            return "no verdicts";
        }
        return "p50 " + seconds(l.p50()) + ", p90 " + seconds(l.p90()) + ", p99 " + seconds(l.p99()) + ", max "
                + seconds(l.max());
    }

    private static String first(List<String> items) {
        int shown = Math.min(items.size(), 10);
        return String.join("; ", items.subList(0, shown)) + (items.size() > shown ? "; ..." : "");
    }

    static String seconds(Duration d) {
        if (d == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%d ms", d.toMillis());
    }
}
