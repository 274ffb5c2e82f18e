package io.uploadguard.ledger.admin;

/** The checks on what operators pass, before anything is read or written. */
final class AdminArguments {

    private AdminArguments() {}

    static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    static void requireLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be more than 0, was " + limit);
        }
    }
}
