package io.uploadguard.enforcer.intake;

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

    /**
     * A short, log-safe rendering of untrusted text: at most {@code max} characters, control and
     * invisible formatting characters (which could forge log lines or reorder them on screen) replaced
     * by {@code ?}, and an ellipsis if cut.
     */
    static String quote(String text, int max) {
        if (text == null) {
            return "null";
        }
        int limit = Math.min(max, MAX_QUOTE);
        int end = Math.min(text.length(), limit);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair into a lone half
        }
        StringBuilder out = new StringBuilder(end + 3);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c)
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || (Character.isSurrogate(c) && !pairedSurrogate(text, i));
            out.append(unsafe ? '?' : c);
        }
        if (end < text.length()) {
            out.append("...");
        }
        return out.toString();
    }

    static String quote(String text) {
        return quote(text, MAX_QUOTE);
    }

    private static boolean pairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
