package io.uploadguard.launcher.run;

/** The local pipeline could not start; the message says why in words a person can act on. */
public final class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }
}
