package io.uploadguard.launcher.soak;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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

    static SoakOptions parse(String[] args, Path repo) {
        SoakOptions d = defaults(repo);
        Duration duration = d.duration;
        double rate = d.rate;
        long seed = d.seed;
        Path workDir = d.workDir;
        Duration faultEvery = d.faultEvery;
        Duration faultLength = d.faultLength;
        List<SoakFault.Kind> faults = d.faults;
        int maxFaults = d.maxFaults;
        Duration drain = d.drainTimeout;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--minutes" -> duration = seconds(option, value, 60, 1, 24 * 3600);
                case "--rate" -> rate = decimal(option, value, 0.1, 500);
                case "--seed" -> seed = seed(value);
                case "--work-dir" -> workDir = Path.of(value).toAbsolutePath().normalize();
                case "--fault-every" -> faultEvery = seconds(option, value, 1, 5, 24 * 3600);
                case "--fault-seconds" -> faultLength = seconds(option, value, 1, 1, 600);
                case "--faults" -> faults = kinds(value);
                case "--max-faults" -> maxFaults = (int) decimal(option, value, 0, 10_000);
                case "--drain-minutes" -> drain = seconds(option, value, 60, 10, 24 * 3600);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new SoakOptions(duration, rate, seed, workDir, faultEvery, faultLength, faults, maxFaults, drain);
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

    static final String USAGE = """
            usage: ./soak [--minutes M] [--rate R] [--seed N] [--work-dir DIR] [--fault-every S]
                          [--fault-seconds S] [--faults LIST] [--max-faults N] [--drain-minutes M]
              --minutes M        how long uploads are sent (3; decimals allowed)
              --rate R           uploads started per second (10)
              --seed N           fixes the upload mix and the fault plan (random, printed)
              --work-dir DIR     logs and sandbox state, wiped at the start (work/soak)
              --fault-every S    mean seconds between the starts of two faults (25)
              --fault-seconds S  mean length of one outage (10)
              --faults LIST      which faults: s3,sqs,postgres,enforcer or none (all four)
              --max-faults N     at most N faults (as many as fit)
              --drain-minutes M  at the end, how long to wait for the verdicts still owed (3)
            Starts its own sandbox, signer and enforcer on free loopback ports (never ./run-local's).
            Exit status: 0 nothing lost and the books reconcile; 1 something lost or drifted;
            2 the run could not be carried out; 64 bad options.
            """;
}
