package io.uploadguard.sandbox.client;

import java.util.function.Consumer;

/** Closing what may already be broken, on the way out, where a failure must not stop the rest. */
public final class Quietly {

    private Quietly() {}

    /** Closes {@code part}; a failure goes to {@code onFailure} (to log it, or to ignore it) instead of up. */
    public static void close(AutoCloseable part, Consumer<? super Exception> onFailure) {
        try {
            part.close();
        } catch (Exception e) {
            onFailure.accept(e);
        }
    }
}
