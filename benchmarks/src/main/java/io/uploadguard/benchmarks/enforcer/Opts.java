package io.uploadguard.benchmarks.enforcer;

import java.util.Map;

/** Reading {@code name=value} options. */
final class Opts {

    private Opts() {}

    static String required(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("option " + name + "=... is required");
        }
        return value;
    }

    static int integer(Map<String, String> opts, String name, int def) {
        String value = opts.get(name);
        return value == null ? def : Integer.parseInt(value);
    }

    static long longValue(Map<String, String> opts, String name, long def) {
        String value = opts.get(name);
        return value == null ? def : Long.parseLong(value);
    }

    static String string(Map<String, String> opts, String name, String def) {
        return opts.getOrDefault(name, def);
    }
}
