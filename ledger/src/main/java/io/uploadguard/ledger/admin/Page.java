package io.uploadguard.ledger.admin;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param nextCursor where the next page starts (opaque; pass it back as is), or null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
