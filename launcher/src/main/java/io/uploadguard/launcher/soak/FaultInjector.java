package io.uploadguard.launcher.soak;

import io.uploadguard.launcher.run.LocalPipeline;
import io.uploadguard.sandbox.client.SandboxFaults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The soak's faults, one at a time, at times and lengths drawn from the seed: S3 down, SQS
 * unreachable, PostgreSQL down (through the sandbox's control endpoint), the enforcer killed with
 * SIGKILL; each part brought back after its outage.
 */
final class FaultInjector {

    private static final Duration QUIET_BETWEEN_FAULTS = Duration.ofSeconds(5);

    private final SoakRun run;
    private final LocalPipeline pipeline;
    private final SandboxFaults sandboxFaults;
    private final CountDownLatch stopFaults = new CountDownLatch(1);
    private volatile boolean enforcerKilled;

    FaultInjector(SoakRun run, LocalPipeline pipeline, SandboxFaults sandboxFaults) {
        this.run = run;
        this.pipeline = pipeline;
        this.sandboxFaults = sandboxFaults;
    }

    /** No new fault; the one in progress, if any, runs its course. */
    void stop() {
        stopFaults.countDown();
    }

    /**
     * One fault at a time. The seed fixes the order (all kinds once, shuffled, then again), the
     * lengths and the gaps; the gap is counted from the previous start and is at least a few
     * seconds after the part came back, so an enforcer that is slow to restart delays the next one.
     */
    void runFaults(Instant uploadEnd) {
        if (run.options.faults().isEmpty()) {
            return;
        }
        Random random = new Random(run.options.seed() * 31 + 7);
        List<SoakFault.Kind> bag = new ArrayList<>();
        Instant next = run.startedAt().plus(scale(run.options.faultEvery(), random.nextDouble(), 0.3, 0.8));
        for (int number = 1; number <= run.options.maxFaults(); number++) {
            Duration length = scale(run.options.faultLength(), random.nextDouble(), 0.8, 1.2);
            double gap = random.nextDouble();
            if (bag.isEmpty()) {
                bag.addAll(run.options.faults());
                Collections.shuffle(bag, random);
            }
            SoakFault.Kind kind = bag.remove(0);
            if (next.plus(length).isAfter(uploadEnd)) {
                return;
            }
            try {
                if (stopFaults.await(
                        Math.max(0, Duration.between(Instant.now(), next).toMillis()), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            SoakFault fault = new SoakFault(number, kind, length);
            run.faults.add(fault);
            inject(fault);
            if (run.aborted()) {
                return;
            }
            Instant back = fault.healedAt != null ? fault.healedAt : Instant.now();
            Instant planned = fault.startedAt.plus(scale(run.options.faultEvery(), gap, 0.6, 1.4));
            Instant earliest = back.plus(QUIET_BETWEEN_FAULTS);
            next = planned.isAfter(earliest) ? planned : earliest;
        }
    }

    private void inject(SoakFault f) {
        f.startedAt = Instant.now();
        run.say("fault #%d %s for %s", f.number, f.kind.label, SoakSummary.seconds(f.planned));
        try {
            if (f.kind == SoakFault.Kind.ENFORCER) {
                enforcerKilled = true;
                pipeline.killEnforcerHard();
            } else {
                sandboxFaults.stop(f.kind.id);
            }
        } catch (RuntimeException e) {
            f.error = "could not inject it: " + e.getMessage();
            run.say("fault #%d %s: %s", f.number, f.kind.id, f.error);
        }
        try {
            run.awaitAbort(f.planned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (run.aborted()) {
            return;
        }
        heal(f);
    }

    private void heal(SoakFault f) {
        f.healAskedAt = Instant.now();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3 && !run.aborted(); attempt++) {
            try {
                bringBack(f.kind);
                f.healedAt = Instant.now();
                if (f.kind == SoakFault.Kind.ENFORCER) {
                    run.say(
                            "fault #%d enforcer restarted, ready after %s",
                            f.number, SoakSummary.seconds(Duration.between(f.healAskedAt, f.healedAt)));
                } else {
                    run.say("fault #%d %s back", f.number, f.kind.id);
                }
                return;
            } catch (RuntimeException e) {
                last = e;
                run.say(
                        "fault #%d %s: could not bring it back (attempt %d of 3): %s",
                        f.number, f.kind.id, attempt, e.getMessage());
            }
        }
        if (last != null) {
            f.error = "could not bring it back: " + last.getMessage();
        }
    }

    private void bringBack(SoakFault.Kind kind) {
        if (kind == SoakFault.Kind.ENFORCER) {
            synchronized (this) {
                if (enforcerKilled) {
                    // a failed restart leaves its half-started process as the pipeline's enforcer: end it first
                    pipeline.killEnforcerHard();
                    pipeline.restartEnforcer();
                    enforcerKilled = false;
                }
            }
        } else {
            sandboxFaults.start(kind.id);
        }
    }

    /** Every part running again, whatever the faults left behind (starting a running part changes nothing). */
    void restoreEverything() {
        List<String> problems = new ArrayList<>();
        for (SoakFault.Kind kind : SoakFault.Kind.values()) {
            try {
                bringBack(kind);
            } catch (RuntimeException e) {
                problems.add(kind.id + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("could not bring every part back: " + problems);
        }
        run.say("every part is running; waiting for the uploads still in progress");
    }

    private static Duration scale(Duration mean, double random, double low, double high) {
        return Duration.ofMillis(Math.round(mean.toMillis() * (low + random * (high - low))));
    }
}
