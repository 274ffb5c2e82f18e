package io.uploadguard.enforcer.scanning;

/**
 * The object must be scanned and the scanner cannot be reached now: nothing is decided, and the
 * message is left on the queue to come back after its visibility timeout.
 */
public class ScanPendingException extends RuntimeException {

    public ScanPendingException(String message) {
        super(message);
    }
}
