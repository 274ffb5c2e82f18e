package io.uploadguard.security;

/**
 * Renders user-controlled text (user ids, profile names, filenames, reasons, object keys) for a log
 * line: a user who chooses the value must not be able to forge log lines or reorder them on screen.
 */
public final class LogSafe {

    /** The default length of a {@link #quote(String)}: longer text is cut and marked with an ellipsis. */
    public static final int MAX_QUOTE = 100;

    private LogSafe() {}

    /**
     * A short, log-safe rendering of untrusted text: at most {@code max} characters, control characters, line and paragraph separators, invisible
     * formatting characters (bidi overrides) and lone surrogates replaced by {@code ?}, and an
     * ellipsis if cut.
     */
    public static String quote(String text, int max) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), max);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair into a lone half
        }
        StringBuilder out = new StringBuilder(end + 3);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            boolean unsafe =
                    breaksLines(c) || isInvisible(c) || (Character.isSurrogate(c) && !pairedSurrogate(text, i));
            out.append(unsafe ? '?' : c);
        }
        if (end < text.length()) {
            out.append("...");
        }
        return out.toString();
    }

    public static String quote(String text) {
        return quote(text, MAX_QUOTE);
    }

    /**
     * The whole of untrusted text, made log-safe as {@link #quote(String, int)} does: for values an
     * operator searches logs for (user ids, object keys), which are bounded where they are accepted.
     */
    public static String escape(String text) {
        return quote(text, Integer.MAX_VALUE);
    }

    /**
     * Whether text stays on one line wherever it is shown: no control characters (CR, LF, NEL, ...)
     * and no Unicode line or paragraph separators (U+2028, U+2029).
     */
    public static boolean isOneLine(String text) {
        return text.chars().noneMatch(c -> breaksLines((char) c));
    }

    private static boolean breaksLines(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean isInvisible(char c) {
        return Character.getType(c) == Character.FORMAT;
    }

    private static boolean pairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
