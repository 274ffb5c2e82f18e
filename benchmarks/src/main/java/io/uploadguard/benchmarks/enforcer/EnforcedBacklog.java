package io.uploadguard.benchmarks.enforcer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Phase C, backlog: the enforcer is paused (SIGSTOP) while N uploads are made and their events
 * queued, then resumed (SIGCONT); rate = N / (time from the resume until all N verdicts are booked
 * and the N removal events of its own deletes are handled).
 */
final class EnforcedBacklog {

    private EnforcedBacklog() {}

    static boolean run(EnforcedRun.Run run, int n, long enforcerPid) throws Exception {
        String prefix = run.prefix("q");
        List<Uploads.Signed> uploads = run.signAll(prefix, n);
        double[] events0 = run.probe().events();
        signal("STOP", enforcerPid);
        long queued;
        try {
            long before = QueueDepth.of(run.ctx());
            run.putAll(uploads, new Instant[n], new Instant[n]);
            // the sandbox sends the uploads' events in the background: the clock starts once all are queued
            queued = QueueDepth.awaitAtLeast(run.ctx(), before + n, Duration.ofSeconds(30)) - before;
        } catch (Exception e) {
            signal("CONT", enforcerPid);
            throw e;
        }
        CpuMeter.Snapshot cpuBefore = run.cpu().snapshot();
        Map<String, Long> threadsBefore = CpuMeter.threadTicks(enforcerPid);
        Instant resume = Instant.now();
        long t0 = System.nanoTime();
        signal("CONT", enforcerPid);
        // everything of the N objects done: N verdicts booked and the N removal events handled
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        // The end is watched on the queue: once it is empty every message was received, handled and
        // acknowledged, so every verdict of it is booked. (Reading the run's verdicts from the ledger
        // every 50 ms instead, a scan of every upload and up to N rows each time, cost PostgreSQL and
        // the harness about as much per object as the enforcer's own booking, on the same cores.)
        // The ledger is read once then; the enforcer's counters after it, for removal events the
        // sandbox had not queued yet when the queue looked empty. A depth that cannot be read (-1)
        // leaves the end to the ledger's polling below, as before.
        while (QueueDepth.of(run.ctx()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling period, bounded by the deadline
        }
        Map<String, Uploads.Verdict> verdicts = Uploads.verdicts(run.ctx(), prefix);
        while (verdicts.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling period, bounded by the deadline
            verdicts = Uploads.verdicts(run.ctx(), prefix);
        }
        double[] events1 = run.probe().events();
        int removals = run.removalEvents() ? n : 0;
        while ((events1[0] - events0[0] < n || events1[1] - events0[1] < removals) && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling period, bounded by the deadline
            events1 = run.probe().events();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuMeter.Snapshot cpuAfter = run.cpu().snapshot();
        Map<String, Long> threadsAfter = CpuMeter.threadTicks(enforcerPid);
        Instant lastVerdict = verdicts.values().stream()
                .map(Uploads.Verdict::settledAt)
                .max(Instant::compareTo)
                .orElse(resume);
        double rate = n / seconds;
        double verdictRate = verdicts.size() / (EnforcedRun.micros(resume, lastVerdict) / 1e6);
        System.out.printf(
                Locale.ROOT,
                "enforcer %s, backlog: %d uploads (%d events queued) while it was "
                        + "paused; after the resume, %d verdicts booked and %.0f removal events handled in %.2f s "
                        + "= %.1f objects/s (verdicts alone: %.1f/s)%n",
                run.label(),
                n,
                queued,
                verdicts.size(),
                events1[1] - events0[1],
                seconds,
                rate,
                verdictRate);
        String cpuLine = CpuMeter.describe(cpuBefore, cpuAfter, n, "object");
        System.out.println("   cpu (enforcement only): " + cpuLine);
        String threadsLine = CpuMeter.describeThreads(threadsBefore, threadsAfter, n);
        System.out.println("   enforcer CPU by thread (ms per object): " + threadsLine);
        boolean ok = run.checks(prefix, uploads, verdicts, events0, events1);
        String p = "enforce." + run.label() + ".backlog";
        run.ctx().result(p + ".rate", rate);
        run.ctx().result(p + ".verdictRate", verdictRate);
        run.ctx().result(p + ".cpu", cpuLine);
        run.ctx().result(p + ".enforcerMs", CpuMeter.msPer(cpuBefore, cpuAfter, "enforcer", n));
        // what the enforcer's JVM does not pay itself: the sandbox (S3, SQS, events), PostgreSQL, this harness
        run.ctx()
                .result(
                        p + ".othersMs",
                        CpuMeter.msPer(cpuBefore, cpuAfter, "sandbox", n)
                                + CpuMeter.msPer(cpuBefore, cpuAfter, "postgres", n)
                                + CpuMeter.msPer(cpuBefore, cpuAfter, "harness", n));
        run.ctx().result(p + ".threads", threadsLine);
        run.ctx().result(p + ".otherPct", 100 * CpuMeter.otherShare(cpuBefore, cpuAfter));
        run.ctx().result(p + ".benchPct", 100 * CpuMeter.benchShare(cpuBefore, cpuAfter));
        return ok;
    }

    /** Pauses or resumes a process this script started (kill -STOP / -CONT). */
    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        int status = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start()
                .waitFor();
        if (status != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed with status " + status);
        }
    }
}
