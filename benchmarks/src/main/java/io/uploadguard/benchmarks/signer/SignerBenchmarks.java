package io.uploadguard.benchmarks.signer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks (any JMH command-line option works, e.g. a regex to pick some, or
 * {@code -f 2 -i 5}) with {@link CpuTimeProfiler}, then prints what one signing request costs step
 * by step, measured in this same run, and the ratios the issue asks for.
 */
public final class SignerBenchmarks {

    /** The reference: the AWS SDK for Java v2 presigner alone, one core, on this machine kind. */
    static final double REFERENCE_PRESIGNS_PER_SECOND = 18_000;

    private SignerBenchmarks() {}

    /** One benchmark's figures: score, wall time per call on one thread, CPU per call. */
    record Figures(double opsPerSecond, int threads, double wallMicros, double jvmCpuMicros, double pgCpuMicros) {
        double cpuMicros() {
            return jvmCpuMicros + Math.max(0, pgCpuMicros);
        }
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp()
                || options.shouldList()
                || options.shouldListProfilers()
                || options.shouldListResultFormats()
                || options.shouldListWithParams()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .parent(options)
                        .addProfiler(CpuTimeProfiler.class)
                        .build())
                .run();
        Map<String, Figures> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            double ops = r.getPrimaryResult().getScore();
            int threads = r.getParams().getThreads();
            Map<String, Result> secondary = r.getSecondaryResults();
            double jvm = secondary.containsKey(CpuTimeProfiler.JVM)
                    ? secondary.get(CpuTimeProfiler.JVM).getScore()
                    : -1;
            double pg = secondary.containsKey(CpuTimeProfiler.POSTGRES)
                    ? secondary.get(CpuTimeProfiler.POSTGRES).getScore()
                    : -1;
            byName.put(name, new Figures(ops, threads, threads * 1e6 / ops, jvm, pg));
        }

        System.out.println();
        System.out.println("== UploadGuard signer: one request, step by step (JMH, this run) ==");
        System.out.println("ops/s and wall us/op are what the benchmark thread(s) saw; CPU us/op is the CPU one call");
        System.out.println("used (benchmark JVM, JIT and GC included; and the benchmark's PostgreSQL), which other");
        System.out.println("work on the machine disturbs much less than it disturbs wall-clock figures.");
        System.out.printf(
                Locale.ROOT,
                "%-22s %7s %12s %12s %12s %12s%n",
                "benchmark",
                "threads",
                "ops/s",
                "wall us/op",
                "JVM CPU us",
                "PG CPU us");
        byName.forEach((name, f) -> System.out.printf(
                Locale.ROOT,
                "%-22s %7d %12.0f %12.1f %12s %12s%n",
                name,
                f.threads(),
                f.opsPerSecond(),
                f.wallMicros(),
                micros(f.jvmCpuMicros()),
                micros(f.pgCpuMicros())));

        List<String[]> steps = List.of(
                new String[] {"JWT decode+validate", "jwtDecode"},
                new String[] {"request JSON parse", "parseRequest"},
                new String[] {"key + presign", "presign"},
                new String[] {"ledger reserve (PG)", "reserve"},
                new String[] {"response JSON write", "writeResponse"});
        double wallTotal = 0;
        double cpuTotal = 0;
        int found = 0;
        for (String[] step : steps) {
            Figures f = byName.get(step[1]);
            if (f != null) {
                wallTotal += f.wallMicros();
                cpuTotal += f.cpuMicros();
                found++;
            }
        }
        if (found > 0) {
            System.out.println();
            System.out.println("The steps of one request on one thread (no HTTP, no Spring MVC/Security filters):");
            System.out.printf(Locale.ROOT, "  %-22s %10s %7s %10s %7s%n", "", "wall us", "share", "CPU us", "share");
            for (String[] step : steps) {
                Figures f = byName.get(step[1]);
                if (f != null) {
                    System.out.printf(
                            Locale.ROOT,
                            "  %-22s %10.1f %6.1f%% %10.1f %6.1f%%%n",
                            step[0],
                            f.wallMicros(),
                            100 * f.wallMicros() / wallTotal,
                            f.cpuMicros(),
                            100 * f.cpuMicros() / cpuTotal);
                }
            }
            System.out.printf(Locale.ROOT, "  %-22s %10.1f %7s %10.1f%n", "total", wallTotal, "", cpuTotal);
            System.out.printf(
                    Locale.ROOT,
                    "  => at most %.0f requests/s per thread (wall), and %.0f requests/s per "
                            + "core of CPU for these steps alone%n",
                    1e6 / wallTotal,
                    1e6 / cpuTotal);
            if (found < steps.size()) {
                System.out.println("  (some steps were not run)");
            }
        }
        Figures presign = byName.get("presign");
        if (presign != null) {
            System.out.printf(
                    Locale.ROOT,
                    "%nPresign (with key and upload id): %.0f/s on one thread (wall) = "
                            + "%.2fx the issue's 18,000 presigns/s on one core; by CPU time %.0f/s per core = %.2fx%n",
                    presign.opsPerSecond(),
                    presign.opsPerSecond() / REFERENCE_PRESIGNS_PER_SECOND,
                    1e6 / presign.jvmCpuMicros(),
                    1e6 / presign.jvmCpuMicros() / REFERENCE_PRESIGNS_PER_SECOND);
        }
        Figures without = byName.get("signWithoutLedger");
        Figures with = byName.get("signWithLedger");
        if (without != null && with != null) {
            System.out.printf(
                    Locale.ROOT,
                    "UploadSigner.sign (the signing timer's work): %.1f us without the ledger, "
                            + "%.1f us with it (wall): the ledger is %.0f%% of it; by CPU %.1f us and %.1f us%n",
                    without.wallMicros(),
                    with.wallMicros(),
                    100 * (with.wallMicros() - without.wallMicros()) / with.wallMicros(),
                    without.cpuMicros(),
                    with.cpuMicros());
        }
    }

    private static String micros(double value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }
}
