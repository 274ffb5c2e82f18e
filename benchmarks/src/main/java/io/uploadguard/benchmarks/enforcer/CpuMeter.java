package io.uploadguard.benchmarks.enforcer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of named process trees (and of the whole machine) from {@code /proc}, to show where a
 * phase's CPU went: S3Proxy/ElasticMQ (the sandbox JVM), PostgreSQL, the enforcer, this harness.
 * Linux only; elsewhere every figure is 0.
 */
final class CpuMeter {

    /** Clock ticks per second; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> roots = new LinkedHashMap<>();

    /** @param pids {@code name:pid,name:pid}; this JVM is added as "harness" */
    CpuMeter(String pids) {
        if (pids != null && !pids.isBlank()) {
            for (String entry : pids.split(",")) {
                String[] parts = entry.split(":");
                if (parts.length == 2 && !parts[1].isBlank()) {
                    roots.put(parts[0], Long.parseLong(parts[1].trim()));
                }
            }
        }
        roots.put("harness", ProcessHandle.current().pid());
    }

    record Snapshot(Map<String, Long> ticks, long machineBusy, long machineAll, long nanos) {}

    Snapshot snapshot() {
        Map<Long, long[]> stats = readAll();
        Map<Long, List<Long>> children = new HashMap<>();
        stats.forEach((pid, s) ->
                children.computeIfAbsent(s[0], k -> new ArrayList<>()).add(pid));
        Map<String, Long> ticks = new LinkedHashMap<>();
        roots.forEach((name, root) -> ticks.put(name, treeTicks(root, stats, children)));
        long[] machine = machine();
        return new Snapshot(ticks, machine[0], machine[1], System.nanoTime());
    }

    /** CPU seconds per process tree between two snapshots, plus "other" (the rest of the machine) and "idle". */
    static Map<String, Double> seconds(Snapshot before, Snapshot after) {
        Map<String, Double> out = new LinkedHashMap<>();
        double named = 0;
        for (var e : after.ticks().entrySet()) {
            double s = (e.getValue() - before.ticks().getOrDefault(e.getKey(), 0L)) / TICKS_PER_SECOND;
            out.put(e.getKey(), s);
            named += s;
        }
        double busy = (after.machineBusy() - before.machineBusy()) / TICKS_PER_SECOND;
        double all = (after.machineAll() - before.machineAll()) / TICKS_PER_SECOND;
        out.put("other", Math.max(0, busy - named));
        out.put("idle", Math.max(0, all - busy));
        return out;
    }

    /**
     * The share of the machine's CPU time that processes other than the named ones used: other
     * people's work on a shared machine, which takes CPU from what is measured.
     */
    static double otherShare(Snapshot before, Snapshot after) {
        Map<String, Double> s = seconds(before, after);
        double all = (after.machineAll() - before.machineAll()) / TICKS_PER_SECOND;
        return all > 0 ? s.get("other") / all : 0;
    }

    /** The share of the machine's CPU time that the named processes (this benchmark) used. */
    static double benchShare(Snapshot before, Snapshot after) {
        Map<String, Double> s = seconds(before, after);
        double all = (after.machineAll() - before.machineAll()) / TICKS_PER_SECOND;
        double named = s.entrySet().stream()
                .filter(e -> !e.getKey().equals("other") && !e.getKey().equals("idle"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        return all > 0 ? named / all : 0;
    }

    /** One line: each tree's CPU in ms per unit of work, and the machine's busy share. */
    static String describe(Snapshot before, Snapshot after, int units, String unit) {
        Map<String, Double> s = seconds(before, after);
        StringBuilder line = new StringBuilder();
        double total = 0;
        for (var e : s.entrySet()) {
            if (!e.getKey().equals("idle")) {
                total += e.getValue();
                line.append(String.format(Locale.ROOT, "%s %.2f, ", e.getKey(), 1000 * e.getValue() / units));
            }
        }
        double wall = (after.nanos() - before.nanos()) / 1e9;
        double all = total + s.get("idle");
        line.append(String.format(
                Locale.ROOT,
                "total %.2f CPU ms per %s; machine %.0f%% busy over %.1f s",
                1000 * total / units,
                unit,
                all > 0 ? 100 * total / all : 0,
                wall));
        return line.toString();
    }

    /** CPU ms per unit of work of one named process tree between two snapshots (NaN if not measured). */
    static double msPer(Snapshot before, Snapshot after, String name, int units) {
        Double s = seconds(before, after).get(name);
        return s == null ? Double.NaN : 1000 * s / units;
    }

    /**
     * CPU ticks of one process's threads grouped by name with the digits taken out ("C2 CompilerThread#",
     * "GC Thread#", "sqs-container-#"), to tell the JIT compiler and the collector from the work itself.
     */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked
                }
            });
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** The thread groups that used the most CPU between two {@link #threadTicks} readings, in ms per unit. */
    static String describeThreads(Map<String, Long> before, Map<String, Long> after, int units) {
        StringBuilder line = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> line.append(String.format(
                        Locale.ROOT,
                        "%s%s %.2f",
                        line.isEmpty() ? "" : ", ",
                        e.getKey(),
                        1000 * e.getValue() / TICKS_PER_SECOND / units)));
        return line.toString();
    }

    private static long treeTicks(long root, Map<Long, long[]> stats, Map<Long, List<Long>> children) {
        long total = 0;
        List<Long> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.remove(todo.size() - 1);
            long[] s = stats.get(pid);
            if (s == null) {
                continue;
            }
            total += s[1];
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return total;
    }

    /** pid -> {ppid, utime+stime+cutime+cstime} */
    private static Map<Long, long[]> readAll() {
        Map<Long, long[]> out = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.forEach(dir -> {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    return;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after "pid (comm) ": f[0]=state f[1]=ppid ... f[11..14]=utime stime cutime cstime
                    long ticks = Long.parseLong(f[11])
                            + Long.parseLong(f[12])
                            + Long.parseLong(f[13])
                            + Long.parseLong(f[14]);
                    out.put(Long.parseLong(name), new long[] {Long.parseLong(f[1]), ticks});
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** {busy, all} ticks of the machine. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = Long.parseLong(f[8]);
            long busy = user + nice + system + irq + softirq + steal;
            return new long[] {busy, busy + idle + iowait};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
