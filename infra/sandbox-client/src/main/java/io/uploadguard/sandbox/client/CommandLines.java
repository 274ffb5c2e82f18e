package io.uploadguard.sandbox.client;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The command-line parsing every main of the project shares (the sandbox, {@code ./run-local},
 * {@code ./uploadguard}, {@code ./soak}): picocli, with messages that name the option and the bad
 * value in plain words, and a port type checked once.
 */
public final class CommandLines {

    /** Exit status for a bad command line (sysexits' EX_USAGE), as the mains have always used. */
    public static final int BAD_OPTIONS = 64;

    private CommandLines() {}

    /**
     * For a main: what {@code parse} made of the command line. After {@code --help} the JVM exits
     * with status 0; after a bad option it prints the message on standard error and exits with
     * {@link #BAD_OPTIONS}.
     */
    public static <T> T parseOrExit(Function<PrintWriter, Optional<T>> parse) {
        try {
            Optional<T> parsed = parse.apply(new PrintWriter(System.out));
            if (parsed.isPresent()) {
                return parsed.get();
            }
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(BAD_OPTIONS);
        }
        throw new IllegalStateException("System.exit returned");
    }

    /** A TCP port, 0 meaning "pick a free one". */
    public static final class Port implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port = WholeNumber.parse(value);
            if (port < 0 || port > 65535) {
                throw new CommandLine.TypeConversionException("must be a port between 0 and 65535, not " + value);
            }
            return port;
        }
    }

    /** An int, with a message that says so. */
    public static final class WholeNumber implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parse(value);
        }

        static int parse(String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("needs a whole number, not " + value);
            }
        }
    }

    /**
     * Fills {@code command} (a picocli {@code @Command} object) from {@code args}. Returns false when
     * help was asked for (the usage has then been printed to {@code out}); a bad option throws
     * {@link IllegalArgumentException} with a message that says what is wrong.
     */
    public static boolean parse(Object command, String[] args, PrintWriter out) {
        CommandLine cli = new CommandLine(command);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(describe(e) + " (--help lists the options)", e);
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
        } else if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
        } else {
            return true;
        }
        out.flush();
        return false;
    }

    private static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            return (first.startsWith("-") ? "unknown option " : "unexpected argument ") + first;
        }
        if (e instanceof CommandLine.MissingParameterException missing
                && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof CommandLine.Model.OptionSpec o) {
            return "option " + o.longestName() + " needs a value";
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException bad
                && e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            return o.longestName() + " " + bad.getMessage();
        }
        return e.getMessage();
    }
}
