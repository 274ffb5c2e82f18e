package io.uploadguard.launcher.soak;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** Turns what a soak run recorded into its {@link SoakSummary}. */
final class SoakSummarizer {

    private final SoakRun run;
    private final VerdictPoller poller;
    private final SoakBooks books;

    SoakSummarizer(SoakRun run, VerdictPoller poller, SoakBooks books) {
        this.run = run;
        this.poller = poller;
        this.books = books;
    }

    SoakSummary summarize(Instant uploadsStopped, Duration drain, int[] deadLetters, int users) {
        List<SoakUpload> all = new ArrayList<>(run.uploads);
        all.sort(Comparator.comparingInt(u -> u.index));
        List<SoakFault> injected = new ArrayList<>(run.faults);

        // uploads whose PUT failed or was refused: S3 may still have kept the object; ask once
        for (SoakUpload u : all) {
            if (u.signed() && u.outcome != SoakUpload.Outcome.PUT_OK) {
                poller.poll(u);
            }
        }
        SoakTally tally = SoakTally.of(all, injected);
        SoakTally.bookVerdictTimes(all, injected);

        Duration uploadPhase = Duration.between(run.startedAt(), uploadsStopped);
        List<Instant[]> impact = new ArrayList<>();
        List<SoakSummary.FaultResult> faultResults = faultResults(all, injected, impact);
        List<SoakUpload> judged = all.stream()
                .filter(u -> u.outcome == SoakUpload.Outcome.PUT_OK && u.settled() && u.latency() != null)
                .toList();
        // clear of faults: the upload waited for its verdict while no fault, nor the backlog it left, was in the way
        SoakSummary.Latency clear = latency(judged.stream()
                .filter(u ->
                        impact.stream().noneMatch(w -> !u.putAnsweredAt.isAfter(w[1]) && !u.verdictAt.isBefore(w[0])))
                .map(SoakUpload::latency)
                .toList());
        SoakSummary.Rates rates = rates(all, tally.putOk, uploadPhase);

        List<String> mismatches = new ArrayList<>();
        int accounts = books.checkBooks(all, mismatches);
        SoakSummary.Reconciliation reconciliation = books.reconcile();
        List<Double> loads = new ArrayList<>(run.loadSamples);
        return new SoakSummary(
                run.options,
                new SoakSummary.Machine(
                        Runtime.getRuntime().availableProcessors(),
                        loads.stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElse(-1),
                        loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1)),
                uploadPhase,
                drain,
                Duration.between(run.startedAt(), Instant.now()),
                users,
                (int) all.stream().map(u -> u.user).distinct().count(),
                tally.counts(all.size(), run.statusPolls.get(), run.statusPollsFailed.get()),
                rates,
                latency(judged.stream().map(SoakUpload::latency).toList()),
                clear,
                faultResults,
                deadLetters[0],
                deadLetters[1],
                tally.lost,
                tally.wrong,
                accounts,
                mismatches,
                reconciliation);
    }

    /** Each fault's outcome; adds to {@code impact} the window in which it (or its backlog) was in the way. */
    private List<SoakSummary.FaultResult> faultResults(
            List<SoakUpload> all, List<SoakFault> injected, List<Instant[]> impact) {
        List<SoakSummary.FaultResult> faultResults = new ArrayList<>();
        for (int i = 0; i < injected.size(); i++) {
            SoakFault f = injected.get(i);
            Instant nextFault = i + 1 < injected.size() ? injected.get(i + 1).startedAt : null;
            Duration again = null;
            Duration cleared = null;
            if (f.healedAt != null) {
                Instant back = f.healedAt;
                // the first verdict decided after the part was back (a verdict decided during a
                // PostgreSQL outage and booked after it would make this look like zero)
                again = all.stream()
                        .filter(SoakUpload::settled)
                        .map(u -> u.settledAt)
                        .filter(t -> t != null && t.isAfter(back))
                        .min(Comparator.naturalOrder())
                        .map(t -> Duration.between(back, t))
                        .orElse(null);
                List<SoakUpload> before = all.stream()
                        .filter(u -> u.outcome == SoakUpload.Outcome.PUT_OK && !u.putAnsweredAt.isAfter(back))
                        .toList();
                if (before.stream().allMatch(u -> u.settled() && u.verdictAt != null)) {
                    cleared = before.stream()
                            .map(u -> Duration.between(back, u.verdictAt))
                            .max(Comparator.naturalOrder())
                            .filter(d -> !d.isNegative())
                            .orElse(Duration.ZERO);
                }
                impact.add(new Instant[] {f.startedAt, back.plus(cleared == null ? Duration.ofDays(1) : cleared)});
            } else {
                impact.add(new Instant[] {f.startedAt, Instant.MAX});
            }
            Instant end = f.healedAt != null ? f.healedAt : Instant.now();
            Duration down = Duration.between(f.startedAt, f.healAskedAt != null ? f.healAskedAt : end);
            Duration restart = f.kind == SoakFault.Kind.ENFORCER && f.healAskedAt != null && f.healedAt != null
                    ? Duration.between(f.healAskedAt, f.healedAt)
                    : null;
            boolean clearedAfterNext = cleared != null
                    && nextFault != null
                    && f.healedAt.plus(cleared).isAfter(nextFault);
            faultResults.add(new SoakSummary.FaultResult(
                    f.number,
                    f.kind,
                    Duration.between(run.startedAt(), f.startedAt),
                    down,
                    restart,
                    again,
                    cleared,
                    clearedAfterNext,
                    f.error));
        }
        return faultResults;
    }

    private SoakSummary.Rates rates(List<SoakUpload> all, int putOk, Duration uploadPhase) {
        double seconds = uploadPhase.toNanos() / 1e9;
        Duration maxLag = all.stream()
                .filter(u -> u.startedAt != null)
                .map(u -> Duration.between(u.scheduledAt, u.startedAt))
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        return new SoakSummary.Rates(
                run.options.rate(), all.size() / seconds, putOk / seconds, lowestWindow(all, uploadPhase), maxLag);
    }

    private static SoakSummary.Latency latency(List<Duration> values) {
        if (values.isEmpty()) {
            return new SoakSummary.Latency(0, null, null, null, null);
        }
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new SoakSummary.Latency(
                sorted.size(),
                rank(sorted, 0.50),
                rank(sorted, 0.90),
                rank(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile: a value that was actually measured. */
    private static Duration rank(List<Duration> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** The lowest PUT-ok rate over the whole 10-second windows of the upload phase. */
    private double lowestWindow(List<SoakUpload> all, Duration uploadPhase) {
        long window = SoakRun.PROGRESS_EVERY.toMillis();
        int windows = (int) Math.max(1, uploadPhase.toMillis() / window);
        int[] counts = new int[windows];
        for (SoakUpload u : all) {
            int w = (int) (Duration.between(run.startedAt(), u.scheduledAt).toMillis() / window);
            if (u.outcome == SoakUpload.Outcome.PUT_OK && w < windows) {
                counts[w]++;
            }
        }
        double seconds = Math.min(window, uploadPhase.toMillis()) / 1000.0;
        return Arrays.stream(counts).min().orElse(0) / seconds;
    }
}
