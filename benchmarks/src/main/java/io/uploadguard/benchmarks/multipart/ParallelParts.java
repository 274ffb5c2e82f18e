package io.uploadguard.benchmarks.multipart;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Sends every part of a file with a fixed number of parts in flight, as both clients do. */
final class ParallelParts {

    private ParallelParts() {}

    /** Calls {@code send} for parts 1..count on {@code parallel} threads; returns the results in part order. */
    static <T> List<T> send(int count, int parallel, IntFunction<T> send) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<T>> futures = new ArrayList<>(count);
            for (int part = 1; part <= count; part++) {
                int number = part;
                futures.add(pool.submit(() -> send.apply(number)));
            }
            List<T> results = new ArrayList<>(count);
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a part failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
