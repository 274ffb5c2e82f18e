package io.uploadguard.benchmarks.enforcer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The final table: every figure of the run, and the ratios against the targets. */
final class Summary {

    static final double TARGET_VS_RAW = 0.8;
    static final double TARGET_VS_ONE_AT_A_TIME = 3.0;
    /** Issue 17: where S3 calls wait (emulated latency), concurrency must pay off at least this much. */
    static final double TARGET_VS_ONE_AT_A_TIME_WITH_LATENCY = 5.0;
    /** Issue 17: the enforcer's own CPU per object in the backlog, JIT compiler and collector included. */
    static final double TARGET_ENFORCER_MS = 6.0;
    /** "Flat": the heap's peak while 1 GiB objects are enforced stays within 25% of its idle peak. */
    static final double TARGET_HEAP_FLAT = 1.25;
    /** Above this share of the machine taken by other processes, a figure is marked as disturbed. */
    static final double DISTURBED_PCT = 10;

    private Summary() {}

    static boolean run(Map<String, String> opts) throws Exception {
        Map<String, String> r = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(Opts.required(opts, "results")))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                r.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        double rawFirst = d(r, "raw.best");
        keepTheBetterRawRun(r);
        double raw = d(r, "raw.best");
        double b = d(r, "enforce.B.rate");
        double c = d(r, "enforce.C.rate");
        double bq = d(r, "enforce.B.backlog.rate");
        double cq = d(r, "enforce.C.backlog.rate");
        String conc = r.getOrDefault("enforcer.concurrency", "10");
        String many = "enforcer, " + conc + " messages at once";
        String one = "enforcer, one message at a time";
        boolean removals = !"0".equals(r.get("run.incomingRemovedEvents"));
        System.out.println();
        System.out.println("UploadGuard enforcer benchmark: " + r.getOrDefault("run.date", "?") + ", "
                + r.getOrDefault("run.machine", "?"));
        System.out.println("N = " + r.getOrDefault("enforce.B.n", "?") + " objects of about 10 KB per measurement "
                + "(1 in " + r.getOrDefault("run.htmlEvery", "?") + " HTML declared as image/png); sandbox, "
                + "enforcer and this harness share the machine"
                + (removals ? "" : "; NO ObjectRemoved events for incoming/")
                + ("0".equals(r.getOrDefault("run.s3LatencyMs", "0"))
                        ? ""
                        : "; S3 latency emulated: " + r.get("run.s3LatencyMs") + " ms per object operation"));
        if ("last".equals(r.get("run.rawOrder"))) {
            System.out.println("The raw S3 loops (phase A) ran last, on a sandbox warmed by every enforcer phase");
        } else if (r.containsKey("rawafter.best")) {
            System.out.println("The raw S3 loops (phase A) ran first and again last, the sandbox warming up between "
                    + f("(baseline %.1f then ", rawFirst)
                    + f("%.1f objects/s)", d(r, "rawafter.best")) + "; each raw figure is the better of the two");
        }
        if (r.containsKey("run.rawWarmup")) {
            System.out.println("Each raw S3 loop's JVM warmed up on " + r.get("run.rawWarmup")
                    + " objects before its measurements (RAW_WARMUP; by default as many as the enforcer "
                    + "handles before its backlog)");
        }
        if (r.containsKey("run.aotTraining")) {
            System.out.println("The enforcer (not the baseline jar) runs with an AOT cache from a training run of "
                    + r.get("run.aotTraining") + " uploads in this run (phase T, " + r.get("enforcer.java") + ")");
        }
        System.out.println();
        row("throughput", "rate", "other load*");
        line();
        row(
                "raw S3 loop (HEAD + GET 8 KiB + copy + delete, as specified), 1 thread",
                f("%.1f objects/s", d(r, "raw.single.ops")),
                pct(r, "raw.single.otherPct"));
        row(
                "raw S3 loop, " + r.getOrDefault("raw.threads", "8") + " threads",
                f("%.1f objects/s", d(r, "raw.multi.ops")),
                pct(r, "raw.multi.otherPct"));
        row("   raw baseline: the better one", f("%.1f objects/s", raw) + " (" + r.get("raw.best.which") + ")", "");
        row(
                "   without the HEAD (the enforcer's calls), " + r.getOrDefault("raw.threads", "8") + " threads",
                f("%.1f objects/s", d(r, "raw.nohead.ops")),
                pct(r, "raw.nohead.otherPct"));
        row(
                many + ", live",
                f("%.1f verdicts/s", b) + f(" (steady %.1f)", d(r, "enforce.B.steady")),
                pct(r, "enforce.B.otherPct"));
        row(
                "   raw S3 loop at the enforcer's concurrency, " + r.getOrDefault("raw.same.threads", "?") + " threads",
                f("%.1f objects/s", d(r, "raw.same.best")),
                pct(r, "raw.same.otherPct"));
        if (r.containsKey("enforce.B0.backlog.rate")) {
            row(
                    "baseline jar (phase B0, " + ("1".equals(r.get("run.baselineAfter")) ? "after" : "before") + " B), "
                            + conc + " at once, backlog",
                    f("%.1f objects/s", d(r, "enforce.B0.backlog.rate"))
                            + f(", enforcer %.2f ms/object", d(r, "enforce.B0.backlog.enforcerMs")),
                    pct(r, "enforce.B0.backlog.otherPct"));
        }
        row(
                many + ", backlog",
                f("%.1f objects/s", bq) + f(", enforcer %.2f ms/object", d(r, "enforce.B.backlog.enforcerMs")),
                pct(r, "enforce.B.backlog.otherPct"));
        row(
                one + ", live",
                f("%.1f verdicts/s", c) + f(" (steady %.1f)", d(r, "enforce.C.steady")),
                pct(r, "enforce.C.otherPct"));
        row(one + ", backlog", f("%.1f objects/s", cq), pct(r, "enforce.C.backlog.otherPct"));
        System.out.println();
        row("upload-to-verdict latency", "p50 / p99", "");
        line();
        row(many + ", live", ms(r, "enforce.B.p50") + " / " + ms(r, "enforce.B.p99"), "");
        row(many + ", paced", ms(r, "enforce.B.paced.p50") + " / " + ms(r, "enforce.B.paced.max") + " (max)", "");
        row(one + ", live", ms(r, "enforce.C.p50") + " / " + ms(r, "enforce.C.p99"), "");
        row(one + ", paced", ms(r, "enforce.C.paced.p50") + " / " + ms(r, "enforce.C.paced.max") + " (max)", "");
        System.out.println();
        row("enforcer memory (-Xmx" + r.getOrDefault("enforcer.xmx", "?") + ")", "heap in use: max (mean)", "");
        line();
        row("idle, before the big objects", mib(r, "big.heapIdleMax") + " (" + mib(r, "big.heapIdleMean") + ")", "");
        row(
                "while " + r.getOrDefault("big.count", "?") + " objects of " + r.getOrDefault("big.sizeMiB", "?")
                        + " MiB are enforced",
                mib(r, "big.heapDuringMax") + " (" + mib(r, "big.heapDuringMean") + ")",
                "");
        row("idle, after", mib(r, "big.heapAfterMax"), "");
        row("during the live run of small objects", mib(r, "enforce.B.heapMaxMiB"), "");
        row(
                "resident set size: idle / with the big objects",
                mib(r, "big.rssIdleMax") + " / " + mib(r, "big.rssDuringMax"),
                "");
        System.out.println();
        row("ratio", "measured", "target   met?");
        line();
        double heap = d(r, "big.ratio");
        String vsRaw = ">= " + TARGET_VS_RAW + "x";
        boolean latency = !"0".equals(r.getOrDefault("run.s3LatencyMs", "0"));
        double targetVsOne = latency ? TARGET_VS_ONE_AT_A_TIME_WITH_LATENCY : TARGET_VS_ONE_AT_A_TIME;
        String vsOne = ">= " + targetVsOne + "x";
        ratio("enforcement / raw S3, live (as specified)", b / raw, vsRaw, b / raw >= TARGET_VS_RAW);
        ratio("enforcement / raw S3, backlog (enforcement only)", bq / raw, vsRaw, bq / raw >= TARGET_VS_RAW);
        double ceiling = ceiling(r);
        // with S3 latency the rates are bound by waiting, not by the CPU the bound divides
        if (!latency && !Double.isNaN(ceiling)) {
            row(
                    "   ceiling here: an enforcer JVM as cheap as the raw loop's",
                    f("%.2fx", ceiling / raw) + f(" (%.1f objects/s)", ceiling),
                    "(bound, not a target)");
        }
        double rawNoHead = d(r, "raw.nohead.ops");
        // the enforcer makes these three calls (no HEAD): the like-for-like comparison
        ratio("enforcement / raw S3 without HEAD, live", b / rawNoHead, vsRaw, b / rawNoHead >= TARGET_VS_RAW);
        ratio("enforcement / raw S3 without HEAD, backlog", bq / rawNoHead, vsRaw, bq / rawNoHead >= TARGET_VS_RAW);
        double rawSame = d(r, "raw.same.best");
        ratio(
                "enforcement / raw S3 at the same concurrency, backlog",
                bq / rawSame,
                vsRaw,
                bq / rawSame >= TARGET_VS_RAW);
        double enforcerMs = d(r, "enforce.B.backlog.enforcerMs");
        row(
                "enforcer JVM CPU per object, backlog (JIT and GC included)",
                f("%.2f ms", enforcerMs),
                String.format(
                        Locale.ROOT,
                        "%-8s %s",
                        "<= " + TARGET_ENFORCER_MS + " ms",
                        enforcerMs <= TARGET_ENFORCER_MS ? "yes" : "NO"));
        ratio("concurrent / one at a time, live (as specified)", b / c, vsOne, b / c >= targetVsOne);
        ratio("concurrent / one at a time, backlog", bq / cq, vsOne, bq / cq >= targetVsOne);
        if (r.containsKey("enforce.B0.backlog.rate")) {
            double b0 = d(r, "enforce.B0.backlog.rate");
            // the phase that runs second finds the sandbox's JVM further warmed up: it gets the better rate
            row(
                    "this jar / baseline jar (B0), backlog rate",
                    f("%.2fx", bq / b0),
                    "(A/B, same run; favours the phase run second)");
            row(
                    "this jar / baseline jar (B0), enforcer CPU per object",
                    f("%.2fx", enforcerMs / d(r, "enforce.B0.backlog.enforcerMs")),
                    "(A/B, same run)");
        }
        ratio(
                "heap max with the big objects / idle max (before, after)",
                heap,
                "<= " + TARGET_HEAP_FLAT + "x",
                heap <= TARGET_HEAP_FLAT);
        // the checks of the phases that ran
        boolean checks = !"false".equals(r.get("enforce.B.ok"))
                && !"false".equals(r.get("enforce.C.ok"))
                && !"false".equals(r.get("enforce.B0.ok"))
                && !"false".equals(r.get("big.ok"));
        double oneBusy = d(r, "enforce.C.backlog.benchPct");
        System.out.printf(
                Locale.ROOT,
                "CPU used by the benchmark's processes: %.0f%% of the machine in the concurrent "
                        + "backlog, %.0f%% one message at a time (so concurrency had at most %.1fx the CPU to use)%n",
                d(r, "enforce.B.backlog.benchPct"),
                oneBusy,
                100 / oneBusy);
        System.out.println();
        System.out.println("* share of the machine's CPU used by processes outside this benchmark while the figure "
                + "was measured; above " + (int) DISTURBED_PCT + "% (marked !) the figure is disturbed.");
        System.out.println("live: the enforcer runs while the N uploads are PUT from "
                + r.getOrDefault("run.putThreads", "?") + " threads; verdicts/s = N / (last settled_at - first PUT); "
                + "the uploads' own cost shares the CPUs.");
        System.out.println("backlog: the enforcer is paused (SIGSTOP) while N uploads are queued, then resumed; "
                + "objects/s = N / (time until all N verdicts"
                + (removals ? " and the N removal events of its own " + "deletes" : "") + " are handled).");
        System.out.println("paced: one upload every " + r.getOrDefault("enforce.B.paced.interval", "?")
                + " ms, below what the enforcer handles, so that no verdict waits in a queue.");
        System.out.println("correctness checks (every verdict booked, books add up, objects where they belong): "
                + (checks ? "all passed" : "FAILED (see above)"));
        System.out.println("CPU per object by process (ms):");
        for (String k : new String[] {
            "raw.single.cpu",
            "raw.multi.cpu",
            "raw.nohead.cpu",
            "enforce.B.cpu",
            "enforce.B.backlog.cpu",
            "enforce.C.cpu",
            "enforce.C.backlog.cpu",
            "enforce.B0.backlog.cpu",
            "raw.same.cpu",
            "rawafter.single.cpu",
            "rawafter.multi.cpu"
        }) {
            if (r.containsKey(k)) {
                String name = k.replace(".cpu", "")
                        .replace("rawafter.single", "raw last, 1 thread")
                        .replace("rawafter.multi", "raw last, many threads")
                        .replace("raw.single", "raw, 1 thread")
                        .replace("raw.multi", "raw, many threads")
                        .replace("raw.nohead", "raw, no HEAD")
                        .replace("raw.same", "raw, enforcer's concurrency")
                        .replace("enforce.B0", "baseline jar")
                        .replace("enforce.B", "enforcer " + conc + " at once")
                        .replace("enforce.C", "enforcer 1 at a time")
                        .replace(".backlog", ", backlog");
                System.out.printf(Locale.ROOT, "   %-34s %s%n", name + ":", r.get(k));
            }
        }
        for (String label : new String[] {"B0", "B", "C"}) {
            String threads = r.get("enforce." + label + ".backlog.threads");
            if (threads != null) {
                System.out.printf(
                        Locale.ROOT, "enforcer CPU by thread, %s backlog (ms per object): %s%n", label, threads);
            }
        }
        return checks;
    }

    private static void row(String a, String b, String c) {
        System.out.printf(Locale.ROOT, "%-60s %-34s %s%n", a, b, c);
    }

    private static void line() {
        row("-".repeat(60), "-".repeat(34), "-".repeat(12));
    }

    private static void ratio(String name, double value, String target, boolean met) {
        row(name, f("%.2fx", value), String.format(Locale.ROOT, "%-8s %s", target, met ? "yes" : "NO"));
    }

    private static String pct(Map<String, String> r, String key) {
        double v = d(r, key);
        return Double.isNaN(v) ? "" : f("%.0f%%", v) + (v > DISTURBED_PCT ? " !" : "");
    }

    private static String ms(Map<String, String> r, String key) {
        return f("%.0f ms", d(r, key));
    }

    private static String mib(Map<String, String> r, String key) {
        return f("%.0f MiB", d(r, key));
    }

    /**
     * With the raw loops run both first and last ({@code RAW_ORDER=both}), each raw rate becomes the
     * better of the two runs: the sandbox warms up through a run, and a baseline taken only on a cold
     * sandbox flatters the enforcer's phases, which meet it warmer.
     */
    private static void keepTheBetterRawRun(Map<String, String> r) {
        if (!r.containsKey("rawafter.best")) {
            return;
        }
        for (String k : new String[] {"single.ops", "multi.ops", "nohead.ops", "same.best", "best"}) {
            double before = d(r, "raw." + k);
            double after = d(r, "rawafter." + k);
            if (after > before || Double.isNaN(before)) {
                r.put("raw." + k, r.get("rawafter." + k));
                if (k.equals("best")) {
                    r.put("raw.best.which", r.get("rawafter.best.which") + ", the run after");
                }
            }
        }
    }

    /**
     * The backlog rate of an enforcer whose own JVM were perfect on this machine: no more CPU per
     * object than the cheapest raw loop's JVM (any thread count, either run) spent on the same S3
     * calls, HEAD included, so nothing for SQS, type detection or the ledger; while the sandbox (S3,
     * its SQS and events), PostgreSQL and this harness cost what they cost in the backlog phase and
     * every CPU is busy. The raw loop pays none of the sandbox's SQS work or PostgreSQL's, so while
     * they share the machine, the ratio to the raw loop stays below this bound whatever the
     * enforcer's JVM does. NaN without both phases.
     */
    private static double ceiling(Map<String, String> r) {
        double rawJvmMs = Stream.of("raw", "rawafter")
                .flatMap(run -> Stream.of("single", "multi", "same").map(loop -> run + "." + loop + ".harnessMs"))
                .mapToDouble(key -> d(r, key))
                .filter(ms -> !Double.isNaN(ms))
                .min()
                .orElse(Double.NaN);
        double perObjectMs = d(r, "enforce.B.backlog.othersMs") + rawJvmMs;
        return 1000.0 * Runtime.getRuntime().availableProcessors() / perObjectMs;
    }

    private static double d(Map<String, String> r, String key) {
        String v = r.get(key);
        try {
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
