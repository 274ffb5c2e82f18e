package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;

import io.uploadguard.ledger.booking.BatchReservations.Answer;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for reservations: concurrent requests are gathered and booked together, in one
 * statement and one commit ({@link BatchReservations}), instead of one transaction each. A statement,
 * a commit and two wake-ups per request were most of PostgreSQL's CPU per reservation.
 *
 * <p>No thread of its own: a caller that finds a free booking slot (at most {@link #BOOKERS} at a
 * time) takes everything waiting, up to {@link #MAX_BATCH}, and books it for all; the others wait
 * for their answer. Requests arriving while a batch is in the database form the next one, so under
 * load batches grow with concurrency, and a lone request is booked at once. 32 requests for one user
 * are one batch, checked one after the other in the database, not 32 round trips queued on the
 * account's row lock.
 *
 * <p>A batch the database fails (a broken connection, a constraint no check foresaw) is booked
 * again one request at a time, so a request gets the answer or the exception it would have got
 * alone, not its neighbour's.
 */
class ReservationBatches {

    private static final Logger log = LoggerFactory.getLogger(ReservationBatches.class);

    /** Two batches can be in flight: one is gathered while the other is in the database. */
    static final int BOOKERS = 2;

    static final int MAX_BATCH = 128;

    /** Only a safety net: waiting callers are woken up when answered or when a slot frees. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Reservations single;
    private final BatchReservations batches;
    private final Queue<PendingReservation> waiting = new ConcurrentLinkedQueue<>();
    private final Semaphore bookers = new Semaphore(BOOKERS);

    ReservationBatches(Reservations single, BatchReservations batches) {
        this.single = single;
        this.batches = batches;
    }

    /** See {@link QuotaLedger#reserve}. */
    ReserveOutcome reserve(ReservationRequest request, Quota quota, Instant now) {
        PendingReservation mine =
                new PendingReservation(request, quota, micros(now), Thread.currentThread(), new CompletableFuture<>());
        waiting.add(mine);
        boolean interrupted = false;
        while (!mine.answer().isDone()) {
            boolean booked = false;
            if (bookers.tryAcquire()) {
                try {
                    List<PendingReservation> batch = take();
                    booked = !batch.isEmpty();
                    if (booked) {
                        book(batch);
                    }
                } finally {
                    bookers.release();
                }
                wakeNextBooker();
            }
            if (!booked && !mine.answer().isDone()) {
                // another booker has this request in its batch: it wakes us when answered
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return answer(mine.answer());
    }

    private List<PendingReservation> take() {
        List<PendingReservation> batch = new ArrayList<>();
        PendingReservation next;
        while (batch.size() < MAX_BATCH && (next = waiting.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    /** Requests still waiting need a booker: wake the first of them, it takes the free slot. */
    private void wakeNextBooker() {
        PendingReservation first = waiting.peek();
        if (first != null) {
            LockSupport.unpark(first.caller());
        }
    }

    /** Books {@code batch} and answers every request in it. Package-private for tests. */
    void book(List<PendingReservation> batch) {
        // an upload id twice in one batch (a client's retry racing its first try) is booked after it
        List<PendingReservation> firsts = new ArrayList<>();
        List<PendingReservation> repeats = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        for (PendingReservation pending : batch) {
            (ids.add(pending.request().uploadId()) ? firsts : repeats).add(pending);
        }
        Map<Integer, Answer> answers;
        try {
            answers = batches.reserve(firsts);
        } catch (RuntimeException e) {
            log.warn("booking {} reservations in one statement failed: booking them one at a time", firsts.size(), e);
            answers = Map.of();
        }
        for (int i = 0; i < firsts.size(); i++) {
            Answer answer = answers.get(i);
            firsts.get(i).complete(answer != null ? answer : alone(firsts.get(i)));
        }
        repeats.forEach(pending -> pending.complete(alone(pending)));
    }

    private Answer alone(PendingReservation pending) {
        try {
            return Answer.of(single.reserve(pending.request(), pending.quota(), pending.at()));
        } catch (RuntimeException e) {
            return Answer.failed(e);
        }
    }

    private static ReserveOutcome answer(CompletableFuture<ReserveOutcome> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            // the answer is done: get() does not wait
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
