package io.uploadguard.enforcer.intake;

import io.uploadguard.security.LogSafe;

/**
 * A message that is not an S3 event notification we can act on. Retrying will not fix it: it should
 * go to the dead-letter queue and be counted.
 *
 * <p>The message is safe to log: it quotes at most {@value #MAX_QUOTE} characters of the input and of
 * a parser's own message, with control characters replaced. It never carries the exception that led
 * to it as a cause, because parser and decoder messages quote their input at any length (number and
 * date parsers do) and a logged cause would print them whole.
 */
public class MalformedEventException extends RuntimeException {

    static final int MAX_QUOTE = 100;

    public MalformedEventException(String reason) {
        super(reason);
    }

    /** A short, log-safe rendering of untrusted text: see {@link LogSafe#quote(String, int)}. */
    static String quote(String text, int max) {
        return LogSafe.quote(text, Math.min(max, MAX_QUOTE));
    }

    static String quote(String text) {
        return LogSafe.quote(text, MAX_QUOTE);
    }
}
