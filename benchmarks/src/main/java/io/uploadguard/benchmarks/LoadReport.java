package io.uploadguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one wrk run (its output, with the {@code WRK_RESULT} line that bench/signer-load.lua
 * prints) and the signer's {@code /actuator/prometheus} scraped before and after it, and prints
 * requests/s, latency percentiles and where a request's time went, all from that same run.
 *
 * <p>Usage: {@code LoadReport key=value...} with {@code wrk=FILE before=FILE after=FILE
 * connections=N} and optionally the CPU ticks spent during the run {@code cpuSigner=T
 * cpuSignerSys=T cpuPostgres=T cpuWrk=T cpuBusy=T cpuAll=T clkTck=100 cpus=2},
 * {@code targetRps=3000 targetP99Ms=25} and
 * {@code summary=FILE} to append a one-line summary to. Exits with 1 if any response was not 2xx
 * or a socket error happened.
 */
public final class LoadReport {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private LoadReport() {}

    public static void main(String[] argv) throws IOException {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String wrkText = Files.readString(Path.of(args.get("wrk")));
        Map<String, Double> wrk = wrkResult(wrkText);
        String before = Files.readString(Path.of(args.get("before")));
        String after = Files.readString(Path.of(args.get("after")));
        int connections = Integer.parseInt(args.getOrDefault("connections", "0"));
        double targetRps = Double.parseDouble(args.getOrDefault("targetRps", "3000"));
        double targetP99 = Double.parseDouble(args.getOrDefault("targetP99Ms", "25"));

        double requests = wrk.get("requests");
        double seconds = wrk.get("duration_us") / 1e6;
        double rps = requests / seconds;
        long non2xx = wrk.get("status_errors").longValue();
        Matcher m = NON_2XX.matcher(wrkText);
        if (m.find()) {
            non2xx = Math.max(non2xx, Long.parseLong(m.group(1)));
        }
        long socketErrors = (long)
                (wrk.get("connect_errors") + wrk.get("read_errors") + wrk.get("write_errors") + wrk.get("timeouts"));
        double p50 = wrk.get("p50_us") / 1000;
        double p90 = wrk.get("p90_us") / 1000;
        double p99 = wrk.get("p99_us") / 1000;
        double p999 = wrk.get("p999_us") / 1000;
        double mean = wrk.get("mean_us") / 1000;
        double max = wrk.get("max_us") / 1000;

        Map<String, String> post = Map.of("method", "POST", "uri", "/uploads");
        Map<String, String> signed = Map.of("outcome", "signed");
        Delta http = delta(before, after, "http_server_requests_seconds", post);
        Delta signing = delta(before, after, "uploadguard_signing_duration_seconds", signed);
        Delta usage = delta(before, after, "hikaricp_connections_usage_seconds", Map.of());
        Delta acquire = delta(before, after, "hikaricp_connections_acquire_seconds", Map.of());
        Delta gc = delta(before, after, "jvm_gc_pause_seconds", Map.of());
        double signedCount = value(after, "uploadguard_signing_requests_total", signed)
                - value(before, "uploadguard_signing_requests_total", signed);

        boolean met = rps >= targetRps && p99 < targetP99 && non2xx == 0 && socketErrors == 0;
        System.out.printf(
                Locale.ROOT,
                "%n== %d connections, %.1f s: %.0f requests/s, latency p50 %.2f ms, "
                        + "p90 %.2f ms, "
                        + "p99 %.2f ms, p99.9 %.2f ms, max %.1f ms ==%n",
                connections,
                seconds,
                rps,
                p50,
                p90,
                p99,
                p999,
                max);
        System.out.printf(
                Locale.ROOT,
                "   requests %.0f, non-2xx %d, socket errors %d, signed (201) counted by " + "the signer %.0f%n",
                requests,
                non2xx,
                socketErrors,
                signedCount);
        System.out.printf(
                Locale.ROOT,
                "   target %.0f/s with p99 < %.0f ms: %s (%.2fx the rate; Express reference " + "800/s: %.1fx)%n",
                targetRps,
                targetP99,
                met ? "MET" : "NOT MET",
                rps / targetRps,
                rps / 800);
        System.out.println("   where a request's time goes (means over this run):");
        System.out.printf(Locale.ROOT, "     %-52s %8.3f ms%n", "client-side latency (wrk)", mean);
        if (http.count > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "     %-52s %8.3f ms%n",
                    "  in the signer's filters (http.server.requests)",
                    http.mean() * 1000);
            System.out.printf(
                    Locale.ROOT,
                    "     %-52s %8.3f ms%n",
                    "    JWT, security and MVC filters, JSON write",
                    (http.mean() - signing.mean()) * 1000);
            System.out.printf(
                    Locale.ROOT,
                    "     %-52s %8.3f ms%n",
                    "    signing timer: parse, presign, ledger",
                    signing.mean() * 1000);
            if (usage.count > 0) {
                double perRequest = usage.count / Math.max(1, signing.count);
                System.out.printf(
                        Locale.ROOT,
                        "     %-52s %8.3f ms%n",
                        "      ledger transaction (Hikari connection held)",
                        usage.mean() * 1000 * perRequest);
                System.out.printf(
                        Locale.ROOT,
                        "     %-52s %8.3f ms%n",
                        "      waiting for a pooled connection",
                        acquire.mean() * 1000 * perRequest);
                System.out.printf(
                        Locale.ROOT,
                        "     %-52s %8.3f ms%n",
                        "      parse, checks, key, presign, metrics",
                        (signing.mean() - (usage.mean() + acquire.mean()) * perRequest) * 1000);
            }
            System.out.printf(
                    Locale.ROOT,
                    "     %-52s %8.3f ms%n",
                    "  outside the filters (Tomcat queue, sockets, wrk)",
                    mean - http.mean() * 1000);
        }
        double jitMs = value(after, "jvm_compilation_time_ms_total", Map.of())
                - value(before, "jvm_compilation_time_ms_total", Map.of());
        System.out.printf(
                Locale.ROOT,
                "     JIT compilation during the run: %.1f s (%.0f%% of the run)%s%n",
                jitMs / 1000,
                jitMs / 10 / seconds,
                jitMs / 1000 > 0.1 * seconds ? ": NOT WARMED UP, figures are low" : "");
        if (gc.count > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "     GC: %.0f pauses, %.1f ms in all (%.2f%% of the run)%n",
                    gc.count,
                    gc.sum * 1000,
                    100 * gc.sum / seconds);
        }
        if (args.containsKey("cpuAll")) {
            double tick = 1e6 / Double.parseDouble(args.getOrDefault("clkTck", "100"));
            int cpus = Integer.parseInt(args.getOrDefault("cpus", "2"));
            double signer = Double.parseDouble(args.get("cpuSigner")) * tick / requests;
            double postgres = Double.parseDouble(args.get("cpuPostgres")) * tick / requests;
            double busyTicks = Double.parseDouble(args.get("cpuBusy"));
            double busy = busyTicks * tick / requests;
            double busyShare = busyTicks / Double.parseDouble(args.get("cpuAll"));
            double wrkCpu = Double.parseDouble(args.getOrDefault("cpuWrk", "0")) * tick / requests;
            System.out.printf(
                    Locale.ROOT,
                    "   CPU per request: signer JVM %.0f us, PostgreSQL %.0f us, wrk %.0f us, "
                            + "everything else (kernel threads, sandbox JVM, other processes) %.0f us; total %.0f us%n",
                    signer,
                    postgres,
                    wrkCpu,
                    Math.max(0, busy - signer - postgres - wrkCpu),
                    busy);
            if (args.containsKey("cpuSignerSys")) {
                double kernel = Double.parseDouble(args.get("cpuSignerSys")) * tick / requests;
                System.out.printf(
                        Locale.ROOT,
                        "   of the signer's: %.0f us in the kernel (sockets: HTTP and "
                                + "PostgreSQL round trips, thread wake-ups), %.0f us in Java (JIT and GC included)%n",
                        kernel,
                        signer - kernel);
            }
            System.out.printf(
                    Locale.ROOT,
                    "   the %d CPUs were %.0f%% busy: at this CPU cost they could serve at most "
                            + "about %.0f requests/s%n",
                    cpus,
                    100 * busyShare,
                    cpus * 1e6 / busy);
        }
        if (args.containsKey("summary")) {
            String line = String.format(
                    Locale.ROOT,
                    "%4d connections: %6.0f req/s  p50 %6.2f ms  p90 %6.2f ms  "
                            + "p99 %6.2f ms  non-2xx %d  socket errors %d  %s%n",
                    connections,
                    rps,
                    p50,
                    p90,
                    p99,
                    non2xx,
                    socketErrors,
                    met ? "target MET" : "target not met");
            Files.writeString(Path.of(args.get("summary")), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (non2xx != 0 || socketErrors != 0) {
            System.out.println("   FAILED: every response must be 201 and no socket error may happen");
            System.exit(1);
        }
    }

    private static Map<String, Double> wrkResult(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("WRK_RESULT ")) {
                Map<String, Double> values = new HashMap<>();
                for (String kv : line.substring("WRK_RESULT ".length()).trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    values.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
                }
                return values;
            }
        }
        throw new IllegalArgumentException(
                "no WRK_RESULT line in the wrk output: was wrk run with " + "bench/signer-load.lua?");
    }

    record Delta(double count, double sum) {
        double mean() {
            return count == 0 ? 0 : sum / count;
        }
    }

    private static Delta delta(String before, String after, String name, Map<String, String> labels) {
        return new Delta(
                value(after, name + "_count", labels) - value(before, name + "_count", labels),
                value(after, name + "_sum", labels) - value(before, name + "_sum", labels));
    }

    /** The sum of every series of this name whose labels include the given ones. */
    static double value(String scrape, String name, Map<String, String> labels) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.find() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = new HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    have.put(l.group(1), l.group(2));
                }
            }
            if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())))) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }
}
