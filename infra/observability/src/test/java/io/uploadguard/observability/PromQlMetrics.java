package io.uploadguard.observability;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found with a small lexer rather than a full parser:
 * string literals, label matchers ({@code {...}}), ranges and subqueries ({@code [...]}) and the
 * label lists of {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_left}/
 * {@code group_right} are removed; what is left that looks like an identifier and is neither a
 * function call, a keyword nor a Grafana variable ({@code $__rate_interval}) is a metric name.
 */
final class PromQlMetrics {

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "offset",
            "bool",
            "inf",
            "nan",
            "atan2");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![A-Za-z0-9_:$.])([A-Za-z_:][A-Za-z0-9_:]*)(?![A-Za-z0-9_:])(\\s*\\()?");

    private PromQlMetrics() {}

    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = BRACES.matcher(s).replaceAll(" ");
        s = BRACKETS.matcher(s).replaceAll(" ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group(1);
            boolean call = m.group(2) != null;
            if (call || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            names.add(name);
        }
        return names;
    }
}
