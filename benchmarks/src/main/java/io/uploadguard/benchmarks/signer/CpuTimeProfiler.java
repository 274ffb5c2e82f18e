package io.uploadguard.benchmarks.signer;

import io.uploadguard.benchmarks.BenchSandbox;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, next to JMH's wall-clock score: {@code cpu.jvm} is the benchmark JVM's
 * CPU (all its threads, JIT and GC included) and {@code cpu.pg} that of the benchmark's own
 * PostgreSQL (the sandbox started by {@link BenchSandbox}), both in microseconds per operation.
 * Unlike ops/s, these barely move when other work shares the machine, so runs on a busy machine
 * can still be compared.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    static final String JVM = "cpu.jvm";
    static final String POSTGRES = "cpu.pg";
    private static final double NANOS_PER_TICK = 1e9 / 100; // Linux USER_HZ

    private long jvmBefore;
    private long pgBefore;

    @Override
    public String getDescription() {
        return "CPU time per operation of this JVM and of the benchmark's PostgreSQL";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        jvmBefore = processCpuNanos();
        pgBefore = postgresTicks();
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long jvm = processCpuNanos() - jvmBefore;
        long pg = postgresTicks() - pgBefore;
        long ops = result.getMetadata().getAllOps();
        List<Result> results = new ArrayList<>();
        if (ops > 0) {
            results.add(new ScalarResult(JVM, jvm / 1e3 / ops, "us/op", AggregationPolicy.AVG));
            if (pgBefore >= 0 && pg >= 0) {
                results.add(
                        new ScalarResult(POSTGRES, pg * NANOS_PER_TICK / 1e3 / ops, "us/op", AggregationPolicy.AVG));
            }
        }
        return results;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /**
     * User and system ticks of the PostgreSQL server of a {@link BenchSandbox} (its postmaster is
     * found by the data folder in its command line, and its backends are its children); -1 when
     * there is none.
     */
    private static long postgresTicks() {
        long total = -1;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            String command = commandLine(p.pid());
            if (!command.contains("bin/postgres ") || !command.contains(BenchSandbox.WORK_DIR_PREFIX)) {
                continue;
            }
            total = Math.max(total, 0);
            List<ProcessHandle> tree = new ArrayList<>();
            tree.add(p);
            p.descendants().forEach(tree::add);
            for (ProcessHandle h : tree) {
                total += ticks(h.pid());
            }
        }
        return total;
    }

    /**
     * From /proc: ProcessHandle.Info has no command line for PostgreSQL, which the sandbox runs in
     * a user namespace of its own.
     */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime stime cutime cstime
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0; // gone meanwhile, or not Linux
        }
    }
}
