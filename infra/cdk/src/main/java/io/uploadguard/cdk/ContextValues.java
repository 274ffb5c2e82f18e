package io.uploadguard.cdk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * CDK context values as the settings need them. {@code cdk -c key=value} passes text, {@code cdk.json}
 * numbers, booleans and lists: each is read as text first, then parsed, and a bad value is refused
 * with its key named.
 */
final class ContextValues {

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Each key of {@code defaults} from {@code context}, or its default (text; empty: none). */
    ContextValues(Map<String, String> defaults, Function<String, Object> context) {
        defaults.forEach((key, fallback) -> {
            Object value = context.apply(key);
            values.put(key, value == null ? fallback : text(value));
        });
    }

    /** Keys with their defaults, in this order: {@code key, default, key, default, ...}. */
    static Map<String, String> defaults(String... keysAndDefaults) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (int i = 0; i < keysAndDefaults.length; i += 2) {
            defaults.put(keysAndDefaults[i], keysAndDefaults[i + 1]);
        }
        return Collections.unmodifiableMap(defaults);
    }

    String text(String key) {
        return values.get(key);
    }

    /** Blank is {@code null}: "none" or "let CloudFormation pick". */
    String optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Comma-separated, blanks dropped. */
    List<String> list(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    boolean bool(String key) {
        String value = values.get(key);
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not " + value);
        }
        return Boolean.parseBoolean(v);
    }

    int integer(String key) {
        String value = values.get(key);
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not " + value, e);
        }
    }

    double decimal(String key) {
        String value = values.get(key);
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not " + value, e);
        }
    }

    /** One of an enum's constants, named in lower case. */
    <E extends Enum<E>> E choice(String key, Class<E> choices) {
        String value = values.get(key).strip();
        for (E choice : choices.getEnumConstants()) {
            if (choice.name().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return choice;
            }
        }
        List<String> names = Arrays.stream(choices.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
        throw new IllegalArgumentException(key + " must be one of " + names + ", not " + value);
    }

    private static String text(Object value) {
        if (value instanceof List<?> items) {
            List<String> parts = new ArrayList<>();
            items.forEach(item -> parts.add(String.valueOf(item)));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }
}
