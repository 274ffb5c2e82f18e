package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A reservation waiting in {@link ReservationBatches} for its batch, and the answer its caller waits
 * for.
 *
 * @param at the request's time, cut to microseconds
 */
record PendingReservation(
        ReservationRequest request, Quota quota, Instant at, Thread caller, CompletableFuture<ReserveOutcome> answer) {

    /** Answers the caller and wakes it up, should it be waiting for its turn to book. */
    void complete(BatchReservations.Answer booked) {
        if (booked.failure() != null) {
            answer.completeExceptionally(booked.failure());
        } else {
            answer.complete(booked.outcome());
        }
        LockSupport.unpark(caller);
    }
}
