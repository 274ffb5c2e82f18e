package io.uploadguard.benchmarks.enforcer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Phases B and C: uploads signed like the signer signs them and PUT by a few threads, with every
 * verdict read back from the ledger. Every {@code html-every}-th upload is an HTML page declared as
 * image/png, so the reject-and-quarantine path runs too. Two measurements, each over N fresh uploads
 * after an untimed warm-up of the same mix:
 * <ul>
 *   <li><b>live</b>: the enforcer consumes while the uploads arrive. verdicts/s = N / (last verdict's
 *       settled_at - first PUT's start); the same over the middle 80% of verdicts (steady state);
 *       upload-to-verdict latency = settled_at - the PUT's answer. The uploads' own cost (S3Proxy
 *       checking signatures and writing files) shares the CPUs with the enforcement here.</li>
 *   <li><b>backlog</b> (with {@code enforcer-pid}): the enforcer is paused (SIGSTOP) while the N
 *       uploads are made and their events queued, then resumed (SIGCONT); rate = N / (time from the
 *       resume until all N verdicts are booked and the N removal events of its own deletes are
 *       handled). Only the enforcement work is in this window, as only the S3 calls are in the raw
 *       loop's.</li>
 * </ul>
 */
final class EnforcedRun {

    private EnforcedRun() {}

    static boolean run(Map<String, String> opts) throws Exception {
        String label = Opts.string(opts, "label", "B");
        int n = Opts.integer(opts, "n", 300);
        int warmup = Opts.integer(opts, "warmup", 150);
        int putThreads = Opts.integer(opts, "put-threads", 4);
        int htmlEvery = Opts.integer(opts, "html-every", 10);
        int users = Opts.integer(opts, "users", 20);
        long enforcerPid = Opts.longValue(opts, "enforcer-pid", 0);
        int paced = Opts.integer(opts, "paced", 0);
        // whether the bucket sends ObjectRemoved events for incoming/ (the enforcer's own deletes), as by default
        boolean removalEvents = !"0".equals(Opts.string(opts, "removal-events", "1"));
        int pacedInterval = Opts.integer(opts, "paced-interval-ms", 200);
        String actuator = Opts.required(opts, "actuator");
        CpuMeter cpu = new CpuMeter(opts.get("pids"));
        String runId = UUID.randomUUID().toString().substring(0, 8);
        try (BenchContext ctx = BenchContext.open(opts, 4);
                EnforcerProbe probe = new EnforcerProbe(actuator, 0, 1000)) {
            boolean ok = true;
            Run setup = new Run(ctx, probe, cpu, label, putThreads, htmlEvery, users, runId, removalEvents);
            // warm-up: the same mix, untimed, so that JIT compilation and connection pools are settled
            if (warmup > 0) {
                String warmPrefix = setup.prefix("w");
                List<Uploads.Signed> warm = setup.signAll(warmPrefix, warmup);
                double[] warmEvents = probe.events();
                setup.putAll(warm, new Instant[warmup], new Instant[warmup]);
                var verdicts = Uploads.awaitVerdicts(ctx, warmPrefix, warmup, Duration.ofSeconds(90), null);
                drained(probe, warmEvents, warmup, removalEvents ? warmup : 0, Duration.ofSeconds(30));
                System.out.printf(
                        Locale.ROOT,
                        "enforcer %s: warm-up of %d uploads: %d verdicts%n",
                        label,
                        warmup,
                        verdicts.size());
                ok &= verdicts.size() == warmup;
            }
            ok &= setup.live(n);
            if (paced > 0) {
                ok &= setup.paced(paced, pacedInterval);
            }
            if (enforcerPid > 0) {
                ok &= EnforcedBacklog.run(setup, n, enforcerPid);
            }
            ctx.result("enforce." + label + ".ok", ok);
            return ok;
        }
    }

    record Run(
            BenchContext ctx,
            EnforcerProbe probe,
            CpuMeter cpu,
            String label,
            int putThreads,
            int htmlEvery,
            int users,
            String runId,
            boolean removalEvents) {

        String prefix(String part) {
            return "eb-" + label + part + "-" + runId + "-";
        }

        boolean live(int n) throws Exception {
            String prefix = prefix("");
            long signStart = System.nanoTime();
            List<Uploads.Signed> uploads = signAll(prefix, n);
            System.out.printf(
                    Locale.ROOT,
                    "enforcer %s, live: %d uploads signed (reserved + presigned) in %.1f s, "
                            + "%d users, every %d-th one HTML declared as image/png%n",
                    label,
                    n,
                    (System.nanoTime() - signStart) / 1e9,
                    users,
                    htmlEvery);
            double[] events0 = probe.events();

            Instant[] putStart = new Instant[n];
            Instant[] putDone = new Instant[n];
            CpuMeter.Snapshot cpuBefore = cpu.snapshot();
            long t0 = System.nanoTime();
            putAll(uploads, putStart, putDone);
            Instant[] observed = new Instant[1];
            var verdicts = Uploads.awaitVerdicts(ctx, prefix, n, Duration.ofSeconds(180), observed);
            long t1 = System.nanoTime();
            CpuMeter.Snapshot cpuAfter = cpu.snapshot();
            // each object leaves incoming/ once, so one removal event per object follows its verdict; wait for
            // them (not timed) so that no work of this phase is left in the queue for the next one
            double[] events1 = drained(probe, events0, n, removalEvents ? n : 0, Duration.ofSeconds(30));

            Instant first = Arrays.stream(putStart).min(Instant::compareTo).orElseThrow();
            Instant lastPut = Arrays.stream(putDone).max(Instant::compareTo).orElseThrow();
            double[] settled = uploads.stream()
                    .map(u -> verdicts.get(u.key()))
                    .filter(v -> v != null)
                    .mapToDouble(v -> micros(first, v.settledAt()) / 1e6)
                    .sorted()
                    .toArray();
            double[] latencyMs = uploads.stream()
                    .filter(u -> verdicts.containsKey(u.key()))
                    .mapToDouble(u ->
                            micros(putDone[u.index()], verdicts.get(u.key()).settledAt()) / 1e3)
                    .toArray();
            double span = settled.length == 0 ? Double.NaN : settled[settled.length - 1];
            double rate = verdicts.size() / span;
            int lo = (int) Math.floor(0.1 * settled.length);
            int hi = (int) Math.ceil(0.9 * settled.length) - 1;
            double steady = settled.length < 10 ? Double.NaN : (hi - lo) / (settled[hi] - settled[lo]);
            double putRate = n / (micros(first, lastPut) / 1e6);

            System.out.printf(
                    Locale.ROOT,
                    "enforcer %s, live: %d/%d verdicts in %.2f s from the first PUT = "
                            + "%.1f verdicts/s (steady, middle 80%%: %.1f/s); PUTs: %.1f/s from %d threads, "
                            + "done after %.2f s%n",
                    label,
                    verdicts.size(),
                    n,
                    span,
                    rate,
                    steady,
                    putRate,
                    putThreads,
                    micros(first, lastPut) / 1e6);
            System.out.printf(
                    Locale.ROOT,
                    "   upload-to-verdict latency (settled_at - PUT answered): p50 %.0f ms, "
                            + "p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    Stats.percentile(latencyMs, 50),
                    Stats.percentile(latencyMs, 90),
                    Stats.percentile(latencyMs, 99),
                    Stats.max(latencyMs));
            System.out.printf(
                    Locale.ROOT,
                    "   (the ledger poller saw the last verdict %.2f s after the first PUT)%n",
                    micros(first, observed[0]) / 1e6);
            String cpuLine = CpuMeter.describe(cpuBefore, cpuAfter, n, "verdict");
            System.out.println("   cpu (uploads included): " + cpuLine);
            double[] heapMb = Arrays.stream(probe.heapBetween(t0, t1))
                    .map(b -> b / 1048576.0)
                    .toArray();
            System.out.printf(
                    Locale.ROOT,
                    "   enforcer heap in use during the run: mean %.0f MiB, max %.0f MiB " + "(%d samples)%n",
                    Stats.mean(heapMb),
                    Stats.max(heapMb),
                    heapMb.length);
            boolean ok = checks(prefix, uploads, verdicts, events0, events1);
            String p = "enforce." + label;
            ctx.result(p + ".n", n);
            ctx.result(p + ".verdicts", verdicts.size());
            ctx.result(p + ".rate", rate);
            ctx.result(p + ".steady", steady);
            ctx.result(p + ".putRate", putRate);
            ctx.result(p + ".p50", Stats.percentile(latencyMs, 50));
            ctx.result(p + ".p99", Stats.percentile(latencyMs, 99));
            ctx.result(p + ".heapMaxMiB", Stats.max(heapMb));
            ctx.result(p + ".cpu", cpuLine);
            ctx.result(p + ".otherPct", 100 * CpuMeter.otherShare(cpuBefore, cpuAfter));
            ctx.result(p + ".benchPct", 100 * CpuMeter.benchShare(cpuBefore, cpuAfter));
            return ok;
        }

        /**
         * Upload-to-verdict latency when the enforcer keeps up: one upload every {@code intervalMs},
         * far below its throughput, so that no verdict waits behind a queue.
         */
        boolean paced(int n, int intervalMs) throws Exception {
            String prefix = prefix("p");
            List<Uploads.Signed> uploads = signAll(prefix, n);
            byte[][] bodies = uploads.stream()
                    .map(u -> u.honest() ? Fixtures.png((int) u.size()) : Fixtures.html((int) u.size()))
                    .toArray(byte[][]::new);
            double[] events0 = probe.events();
            Instant[] putDone = new Instant[n];
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long slot = start + i * intervalMs * 1_000_000L;
                long wait = (slot - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait); // pacing of the offered load
                }
                Uploads.put(ctx, uploads.get(i), bodies[i]);
                putDone[i] = Instant.now();
            }
            var verdicts = Uploads.awaitVerdicts(ctx, prefix, n, Duration.ofSeconds(60), null);
            double[] events1 = drained(probe, events0, n, removalEvents ? n : 0, Duration.ofSeconds(30));
            double[] latencyMs = uploads.stream()
                    .filter(u -> verdicts.containsKey(u.key()))
                    .mapToDouble(u ->
                            micros(putDone[u.index()], verdicts.get(u.key()).settledAt()) / 1e3)
                    .toArray();
            System.out.printf(
                    Locale.ROOT,
                    "enforcer %s, paced: %d uploads, one every %d ms: upload-to-verdict "
                            + "p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
                    label,
                    n,
                    intervalMs,
                    Stats.percentile(latencyMs, 50),
                    Stats.percentile(latencyMs, 90),
                    Stats.max(latencyMs));
            boolean ok = checks(prefix, uploads, verdicts, events0, events1);
            ctx.result("enforce." + label + ".paced.p50", Stats.percentile(latencyMs, 50));
            ctx.result("enforce." + label + ".paced.max", Stats.max(latencyMs));
            ctx.result("enforce." + label + ".paced.interval", intervalMs);
            return ok;
        }

        boolean checks(
                String prefix,
                List<Uploads.Signed> uploads,
                Map<String, Uploads.Verdict> verdicts,
                double[] events0,
                double[] events1) {
            System.out.printf(
                    Locale.ROOT,
                    "   SQS messages handled by the enforcer: %.0f created, %.0f removed "
                            + "(its own deletes from incoming/), %.0f failed%n",
                    events1[0] - events0[0],
                    events1[1] - events0[1],
                    events1[2] - events0[2]);
            boolean ok = Uploads.verify(ctx, prefix, uploads, verdicts);
            if (events1[2] > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "   CHECK FAILED: %.0f event messages failed (see the enforcer's log)%n",
                        events1[2]);
                ok = false;
            }
            return ok;
        }

        List<Uploads.Signed> signAll(String userPrefix, int n) {
            List<Uploads.Signed> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boolean honest = htmlEvery <= 0 || i % htmlEvery != htmlEvery - 1;
                out.add(Uploads.sign(
                        ctx, i, userPrefix + (i % users), "avatar", "image/png", Fixtures.smallSize(i), honest));
            }
            return out;
        }

        void putAll(List<Uploads.Signed> uploads, Instant[] start, Instant[] done) throws Exception {
            // bodies are built before the clock starts
            byte[][] bodies = uploads.stream()
                    .map(u -> u.honest() ? Fixtures.png((int) u.size()) : Fixtures.html((int) u.size()))
                    .toArray(byte[][]::new);
            RawS3Loop.parallel(putThreads, uploads.size(), i -> {
                start[i] = Instant.now();
                Uploads.put(ctx, uploads.get(i), bodies[i]);
                done[i] = Instant.now();
            });
        }
    }

    /** Waits until the enforcer has handled {@code created} more created and {@code removed} more removed events. */
    static double[] drained(EnforcerProbe probe, double[] from, int created, int removed, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double[] now = probe.events();
        while ((now[0] - from[0] < created || now[1] - from[1] < removed) && System.nanoTime() < deadline) {
            Thread.sleep(250); // polling period, bounded by the deadline
            now = probe.events();
        }
        return now;
    }

    static long micros(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1000;
    }
}
