package io.uploadguard.local;

/** The local pipeline could not start; the message says why in words a person can act on. */
final class LaunchException extends RuntimeException {
    LaunchException(String message) {
        super(message);
    }
}
