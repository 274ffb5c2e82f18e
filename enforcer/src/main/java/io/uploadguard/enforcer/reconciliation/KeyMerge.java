package io.uploadguard.enforcer.reconciliation;

import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.reconciliation.BooksReconciliation.CurrentObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Walks a bucket listing and the ledger's rows for the same prefix together, both in the order S3
 * lists keys (bytewise UTF-8), so that memory stays bounded by one page of each and the lists it
 * keeps (at most {@code cap} keys each), whatever the number of objects.
 */
final class KeyMerge {

    /** The order of S3 listings: the keys' UTF-8 bytes, unsigned; PostgreSQL's {@code COLLATE "C"} is the same. */
    static final Comparator<String> S3_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /**
     * @param objectsWithoutRow objects no row of the expected status points at (the first {@code cap})
     * @param rowsWithoutObject keys of rows of the expected status with no object there (the first {@code cap})
     */
    record Drift(long objects, List<String> objectsWithoutRow, List<String> rowsWithoutObject) {}

    private KeyMerge() {}

    static Drift compare(Iterator<String> objectKeys, Iterator<CurrentObject> rows, UploadStatus expected, int cap) {
        List<String> orphans = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        long objects = 0;
        String object = objectKeys.hasNext() ? objectKeys.next() : null;
        CurrentObject row = rows.hasNext() ? rows.next() : null;
        while (object != null || row != null) {
            int order = object == null ? 1 : row == null ? -1 : S3_ORDER.compare(object, row.currentKey());
            if (order < 0) {
                objects++;
                add(orphans, object, cap);
                object = objectKeys.hasNext() ? objectKeys.next() : null;
                continue;
            }
            // every row at this key (a key may be the current key of more than one row)
            String key = row.currentKey();
            boolean expectedRow = false;
            while (row != null && row.currentKey().equals(key)) {
                expectedRow |= row.status() == expected;
                row = rows.hasNext() ? rows.next() : null;
            }
            if (order > 0) {
                if (expectedRow) {
                    add(missing, key, cap);
                }
                continue;
            }
            objects++;
            if (!expectedRow) {
                add(orphans, object, cap);
            }
            object = objectKeys.hasNext() ? objectKeys.next() : null;
        }
        return new Drift(objects, List.copyOf(orphans), List.copyOf(missing));
    }

    private static void add(List<String> keys, String key, int cap) {
        if (keys.size() < cap) {
            keys.add(key);
        }
    }
}
