package io.uploadguard.benchmarks.enforcer;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the enforcer's load harness. Each phase of {@code bench/enforcer-load.sh} is one
 * command; figures are printed for people and appended as {@code name=value} lines to the results
 * file, which {@code summary} turns into the final table.
 *
 * <pre>
 * EnforcerLoad spring-args endpoints=FILE
 * EnforcerLoad raw        endpoints=FILE results=FILE n=300 warmup=100 threads=8 [pids=name:pid,...]
 * EnforcerLoad enforce    endpoints=FILE results=FILE label=B n=300 warmup=60 put-threads=4 html-every=10
 *                         actuator=URL [enforcer-pid=PID] [pids=...]
 * EnforcerLoad big        endpoints=FILE results=FILE count=3 size=1073741824 actuator=URL idle-seconds=6
 * EnforcerLoad summary    results=FILE
 * </pre>
 * Exit status 0 when every check passed (all verdicts booked, books add up), 1 when one failed,
 * 2 for bad usage. Missing a performance target does not change the exit status.
 */
public final class EnforcerLoad {

    private EnforcerLoad() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
        boolean ok;
        switch (args[0]) {
            case "spring-args" -> {
                SandboxEndpoints e = SandboxEndpoints.readFrom(Path.of(Opts.required(opts, "endpoints")));
                e.springProperties().forEach((name, value) -> System.out.println("--" + name + "=" + value));
                ok = true;
            }
            case "raw" -> ok = RawS3Loop.run(opts);
            case "enforce" -> ok = EnforcedRun.run(opts);
            case "big" -> ok = BigObjects.run(opts);
            case "summary" -> ok = Summary.run(opts);
            default -> {
                usage();
                ok = false;
            }
        }
        System.out.flush();
        // the S3 and HTTP clients keep non-daemon threads; the answer is in the exit status
        System.exit(ok ? 0 : 1);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("options are name=value, not " + arg);
                usage();
            }
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return opts;
    }

    private static void usage() {
        System.err.println(
                "usage: EnforcerLoad spring-args|raw|enforce|big|summary name=value... " + "(see the class comment)");
        System.exit(2);
    }
}
