package io.uploadguard.enforcer.scanning;

import java.util.Objects;

/**
 * One stored object to scan, as inspection saw it.
 *
 * @param size the bytes inspection found; checked against the scanner's limit before any byte is sent
 * @param eTag the ETag inspection saw: the scan reads only that version, so the bytes scanned are the
 *     bytes inspected; null if S3 gave none
 */
public record ScanTarget(String bucket, String key, long size, String eTag) {

    public ScanTarget {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("size must be 0 or more, was " + size);
        }
    }
}
