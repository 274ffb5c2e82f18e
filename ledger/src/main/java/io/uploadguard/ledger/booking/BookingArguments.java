package io.uploadguard.ledger.booking;

import java.util.List;

/** The checks on what callers pass to a booking, before anything is written. */
final class BookingArguments {

    private BookingArguments() {}

    static void requireSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("realSize must not be negative, was " + size);
        }
    }

    static void requireReasons(List<String> reasons) {
        if (reasons == null || reasons.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one reason");
        }
    }
}
