package io.uploadguard.launcher.soak;

import java.lang.management.ManagementFactory;

/** The soak's progress line every ten seconds: uploads, verdicts seen, failures, load, the fault on. */
final class SoakProgress {

    private final SoakRun run;

    SoakProgress(SoakRun run) {
        this.run = run;
    }

    /** One progress line; never throws (a periodic task that throws is not run again). */
    void print() {
        try {
            int attempted = 0;
            int putOk = 0;
            int settled = 0;
            int failed = 0;
            for (SoakUpload u : run.uploads) {
                attempted++;
                switch (u.outcome) {
                    case PUT_OK -> putOk++;
                    case PENDING -> {}
                    default -> failed++;
                }
                if (u.settled() && u.outcome == SoakUpload.Outcome.PUT_OK) {
                    settled++;
                }
            }
            String active = "";
            synchronized (run.faults) {
                for (SoakFault f : run.faults) {
                    if (f.healedAt == null && f.error == null) {
                        active = "  [fault #" + f.number + " " + f.kind.id + " on]";
                    }
                }
            }
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            if (load >= 0) {
                run.loadSamples.add(load);
            }
            // "seen": the poller follows a backlog within a budget, so the enforcer may be further along
            run.say(
                    "%d started, %d PUT ok, %d verdicts seen, %d not seen yet, %d refused or failed, load %.1f%s",
                    attempted, putOk, settled, run.awaitingVerdict.size(), failed, load, active);
        } catch (RuntimeException e) {
            // progress lines are a courtesy: never let one stop the next
        }
    }
}
