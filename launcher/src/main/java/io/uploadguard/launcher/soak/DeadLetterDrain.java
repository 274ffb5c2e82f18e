package io.uploadguard.launcher.soak;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.time.Duration;
import java.time.Instant;

/** The end of a soak: every verdict still owed awaited, with the dead-letter queue redriven meanwhile. */
final class DeadLetterDrain {

    private final SoakRun run;
    private final SandboxEndpoints sandbox;

    DeadLetterDrain(SoakRun run, SandboxEndpoints sandbox) {
        this.run = run;
        this.sandbox = sandbox;
    }

    /**
     * Waits for every verdict owed, redriving the dead-letter queue whenever something is in it.
     * Returns {redriven, left in the dead-letter queue}.
     */
    int[] drain() throws InterruptedException {
        run.say(
                "waiting up to %s for the %d verdict(s) still owed",
                SoakSummary.seconds(run.options.drainTimeout()), run.awaitingVerdict.size());
        Instant deadline = Instant.now().plus(run.options.drainTimeout());
        int redriven = 0;
        Instant nextCheck = Instant.now();
        try (SoakDeadLetters deadLetters = new SoakDeadLetters(sandbox)) {
            int depth;
            while (true) {
                if (!Instant.now().isBefore(nextCheck)) {
                    depth = deadLetters.depth();
                    if (depth > 0) {
                        int moved = deadLetters.redrive();
                        redriven += moved;
                        run.say("redrove %d message(s) from the dead-letter queue to the events queue", moved);
                    }
                    nextCheck = Instant.now().plusSeconds(5);
                }
                if (run.awaitingVerdict.isEmpty() || !Instant.now().isBefore(deadline) || run.aborted()) {
                    break;
                }
                run.awaitAbort(Duration.ofMillis(500));
            }
            depth = deadLetters.depth();
            if (depth > 0) {
                // left over after the drain: redrive so the next check sees them processed, and report them
                int moved = deadLetters.redrive();
                redriven += moved;
                run.say("redrove %d more message(s) from the dead-letter queue after the drain", moved);
                run.awaitAbort(Duration.ofSeconds(5));
                depth = deadLetters.depth();
            }
            return new int[] {redriven, depth};
        }
    }
}
