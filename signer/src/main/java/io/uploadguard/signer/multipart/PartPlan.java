package io.uploadguard.signer.multipart;

import io.uploadguard.security.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a declared size is cut into parts: every part {@code partSize} bytes but the last, which
 * holds the remainder. S3 allows at most {@link #MAX_PARTS} parts.
 */
record PartPlan(long size, long partSize, int partCount) {

    static final int MAX_PARTS = 10_000;

    static PartPlan of(long size, long partSize) {
        if (size <= 0 || partSize <= 0) {
            throw new IllegalArgumentException("size and partSize must be more than 0");
        }
        long count = (size + partSize - 1) / partSize;
        if (count > MAX_PARTS) {
            throw ApiException.badRequest(
                    "too_many_parts",
                    "size " + size + " bytes in parts of " + partSize + " bytes makes " + count
                            + " parts; S3 allows at most " + MAX_PARTS);
        }
        return new PartPlan(size, partSize, (int) count);
    }

    boolean has(int partNumber) {
        return partNumber >= 1 && partNumber <= partCount;
    }

    /** The exact length of a part, which its URL locks. */
    long sizeOf(int partNumber) {
        if (!has(partNumber)) {
            throw new IllegalArgumentException("no part " + partNumber + " in a plan of " + partCount);
        }
        return partNumber < partCount ? partSize : size - (partCount - 1L) * partSize;
    }

    /** Part numbers {@code first} to the end of a page of {@code pageSize} (or of the plan). */
    List<Integer> page(int first, int pageSize) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = first; n <= partCount && numbers.size() < pageSize; n++) {
            numbers.add(n);
        }
        return numbers;
    }

    /** The first part number after {@code last}, or null when {@code last} is the last part. */
    Integer after(int last) {
        return last < partCount ? last + 1 : null;
    }
}
