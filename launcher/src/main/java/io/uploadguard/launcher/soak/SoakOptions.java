package io.uploadguard.launcher.soak;

import io.uploadguard.sandbox.client.CommandLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How a soak runs. Every random choice (the mix of uploads, which fault comes when and for how
 * long) comes from {@code seed}, so a run that found something can be run again.
 *
 * @param duration how long uploads are sent
 * @param rate uploads started per second
 * @param faultEvery mean time between the starts of two faults
 * @param faultLength mean length of one outage (each is drawn within 20 % of it)
 * @param maxFaults at most this many faults ({@code Integer.MAX_VALUE}: as many as fit)
 * @param drainTimeout how long to wait at the end for the verdicts still owed
 */
record SoakOptions(
        Duration duration,
        double rate,
        long seed,
        Path workDir,
        Duration faultEvery,
        Duration faultLength,
        List<SoakFault.Kind> faults,
        int maxFaults,
        Duration drainTimeout) {

    SoakOptions {
        faults = List.copyOf(faults);
    }

    static SoakOptions defaults(Path repo) {
        return new SoakOptions(
                Duration.ofMinutes(3),
                10,
                new SecureRandom().nextLong() >>> 1,
                repo.resolve("work/soak"),
                Duration.ofSeconds(25),
                Duration.ofSeconds(10),
                List.of(SoakFault.Kind.values()),
                Integer.MAX_VALUE,
                Duration.ofMinutes(3));
    }

    /** The command that repeats this run. */
    String rerunCommand() {
        StringBuilder command = new StringBuilder("./soak");
        command.append(" --seed ").append(seed);
        command.append(" --minutes ").append(number(duration.toMillis() / 60_000.0));
        command.append(" --rate ").append(number(rate));
        command.append(" --fault-every ").append(number(faultEvery.toMillis() / 1000.0));
        command.append(" --fault-seconds ").append(number(faultLength.toMillis() / 1000.0));
        command.append(" --faults ")
                .append(
                        faults.isEmpty()
                                ? "none"
                                : faults.stream().map(k -> k.id).collect(Collectors.joining(",")));
        if (maxFaults != Integer.MAX_VALUE) {
            command.append(" --max-faults ").append(maxFaults);
        }
        return command.toString();
    }

    /** Empty when {@code --help} was asked for (the usage is then on {@code out}). */
    static Optional<SoakOptions> parse(String[] args, Path repo, PrintWriter out) {
        CommandLineOptions given = new CommandLineOptions();
        if (!CommandLines.parse(given, args, out)) {
            return Optional.empty();
        }
        return Optional.of(given.over(defaults(repo)));
    }

    @Command(
            name = "soak",
            mixinStandardHelpOptions = true,
            version = "UploadGuard soak",
            sortOptions = false,
            description = "A bounded soak run on loopback with faults injected at random.",
            footer = {
                "Starts its own sandbox, signer and enforcer on free loopback ports",
                "(never ./run-local's).",
                "Exit status: 0 nothing lost and the books reconcile; 1 something lost or",
                "drifted; 2 the run could not be carried out; 64 bad options."
            })
    static final class CommandLineOptions {
        // strings, checked below with the ranges and messages of the soak's own rules
        @Option(names = "--minutes", paramLabel = "M", description = "how long uploads are sent (3; decimals allowed)")
        String minutes;

        @Option(names = "--rate", paramLabel = "R", description = "uploads started per second (10)")
        String rate;

        @Option(
                names = "--seed",
                paramLabel = "N",
                description = "fixes the upload mix and the fault plan (random, printed)")
        String seed;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "logs and sandbox state, wiped at the start (work/soak)")
        Path workDir;

        @Option(
                names = "--fault-every",
                paramLabel = "S",
                description = "mean seconds between the starts of two faults (25)")
        String faultEvery;

        @Option(names = "--fault-seconds", paramLabel = "S", description = "mean length of one outage (10)")
        String faultSeconds;

        @Option(
                names = "--faults",
                paramLabel = "LIST",
                description = "which faults: s3,sqs,postgres,enforcer or none (all four)")
        String faults;

        @Option(names = "--max-faults", paramLabel = "N", description = "at most N faults (as many as fit)")
        String maxFaults;

        @Option(
                names = "--drain-minutes",
                paramLabel = "M",
                description = "at the end, how long to wait for the verdicts still owed (3)")
        String drainMinutes;

        SoakOptions over(SoakOptions d) {
            return new SoakOptions(
                    minutes == null ? d.duration : seconds("--minutes", minutes, 60, 1, 24 * 3600),
                    rate == null ? d.rate : decimal("--rate", rate, 0.1, 500),
                    seed == null ? d.seed : seed(seed),
                    workDir == null ? d.workDir : workDir.toAbsolutePath().normalize(),
                    faultEvery == null ? d.faultEvery : seconds("--fault-every", faultEvery, 1, 5, 24 * 3600),
                    faultSeconds == null ? d.faultLength : seconds("--fault-seconds", faultSeconds, 1, 1, 600),
                    faults == null ? d.faults : kinds(faults),
                    maxFaults == null ? d.maxFaults : (int) decimal("--max-faults", maxFaults, 0, 10_000),
                    drainMinutes == null
                            ? d.drainTimeout
                            : seconds("--drain-minutes", drainMinutes, 60, 10, 24 * 3600));
        }
    }

    private static Duration seconds(
            String option, String value, double unitSeconds, double minSeconds, double maxSeconds) {
        double seconds = decimal(option, value, minSeconds / unitSeconds, maxSeconds / unitSeconds) * unitSeconds;
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static double decimal(String option, String value, double min, double max) {
        try {
            double number = Double.parseDouble(value);
            if (!(number >= min && number <= max)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " must be a number from " + number(min) + " to " + number(max) + ", not " + value);
        }
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--seed must be a whole number (the one a previous run printed), not " + value);
        }
    }

    private static List<SoakFault.Kind> kinds(String value) {
        if (value.equals("none")) {
            return List.of();
        }
        List<SoakFault.Kind> kinds = new ArrayList<>();
        for (String id : value.split(",")) {
            SoakFault.Kind kind = SoakFault.Kind.byId(id.trim().toLowerCase(Locale.ROOT));
            if (kind == null) {
                throw new IllegalArgumentException("--faults takes a comma-separated list of s3, sqs, postgres, "
                        + "enforcer (or none), not " + value);
            }
            if (!kinds.contains(kind)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    private static String number(double value) {
        return new java.math.BigDecimal(value)
                .setScale(3, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
