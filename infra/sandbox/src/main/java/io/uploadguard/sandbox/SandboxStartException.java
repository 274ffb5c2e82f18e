package io.uploadguard.sandbox;

/** The sandbox could not start; the message says why in words a person can act on. */
public final class SandboxStartException extends RuntimeException {
    public SandboxStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
