package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.Upload;

/**
 * What booking an object written again with a spent URL did.
 *
 * @param original the upload the URL was signed for
 * @param booked false if this write was booked already (a redelivered event)
 * @param userBlocked whether the violation blocked the user
 */
public record ReplayBooking(Upload original, boolean booked, boolean userBlocked) {}
