package io.uploadguard.ledger.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset page positions, opaque to callers: the (time, upload id) of the last row of a page. Paging
 * by position rather than offset never skips or repeats a row when rows are added meanwhile, and
 * the upload id breaks ties between rows booked in the same microsecond.
 *
 * <p>A cursor names the listing it came from, so one listing's cursor is refused by another.
 */
final class LedgerCursor {

    static final String QUARANTINE = "q";
    static final String UPLOADS = "u";

    record Position(Instant at, UUID uploadId) {}

    private LedgerCursor() {}

    static String encode(String listing, Instant at, UUID uploadId) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        String raw = listing + ":" + micros + ":" + uploadId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException if the cursor was not made by {@link #encode} for this listing */
    static Position decode(String listing, String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            String[] parts = raw.split(":", -1);
            if (parts.length != 3 || !parts[0].equals(listing)) {
                throw new IllegalArgumentException("cursor is from another listing");
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            return new Position(at, UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a cursor this listing gave out: " + cursor, e);
        }
    }
}
