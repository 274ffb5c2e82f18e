package io.uploadguard.launcher.soak;

import io.uploadguard.launcher.cli.SignerClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** Follows the uploads still owed a verdict through the signer's status endpoint, as an app would. */
final class VerdictPoller {

    private static final Duration POLL_ROUND = Duration.ofMillis(100);

    private final SoakRun run;
    private final SignerClient client;
    private final SoakTraffic traffic;
    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(SoakRun.daemon("soak-poller"));
    private volatile boolean draining;

    VerdictPoller(SoakRun run, SignerClient client, SoakTraffic traffic) {
        this.run = run;
        this.client = client;
        this.traffic = traffic;
    }

    void start() {
        poller.scheduleWithFixedDelay(this::pollRound, 200, POLL_ROUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The end of the run: only verdicts are awaited now, so poll faster. */
    void draining() {
        draining = true;
    }

    void stop() throws InterruptedException {
        poller.shutdown();
        poller.awaitTermination(30, TimeUnit.SECONDS);
    }

    void stopNow() {
        poller.shutdownNow();
    }

    /**
     * Asks the signer for the status of the uploads whose turn it is, most overdue first, within a
     * budget: on two cores, polling a backlog of a thousand uploads every few seconds would take
     * the CPU the enforcer needs to clear it. The latency comes from the verdict's own timestamp,
     * so polling less often costs no accuracy, only how soon the soak notices.
     */
    private void pollRound() {
        try {
            long now = System.nanoTime();
            double perSecond = draining ? Math.max(50, 5 * run.options.rate()) : Math.max(20, 3 * run.options.rate());
            int budget = (int) Math.ceil(perSecond * POLL_ROUND.toMillis() / 1000.0);
            List<SoakUpload> due = run.awaitingVerdict.values().stream()
                    .filter(u -> u.nextPollNanos <= now)
                    .sorted(Comparator.comparingLong(u -> u.nextPollNanos))
                    .limit(budget)
                    .toList();
            for (SoakUpload u : due) {
                if (run.aborted()) {
                    return;
                }
                poll(u);
            }
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: keep polling whatever happens
            run.statusPollsFailed.incrementAndGet();
        }
    }

    /** Asks once for the upload's status and books what came back. */
    void poll(SoakUpload u) {
        run.statusPolls.incrementAndGet();
        try {
            SignerClient.Reply reply = client.status(traffic.token(u.user), u.uploadId);
            if (reply.status() == 200) {
                String status = reply.body().path("status").asString("");
                u.status = status;
                if (u.settled()) {
                    settle(u, reply.body());
                    return;
                }
                if (!SignerClient.awaitsVerdict(status)) {
                    // expired, removed, gone: no verdict will come; the summary counts it as lost
                    run.awaitingVerdict.remove(u.uploadId);
                    return;
                }
            } else {
                run.statusPollsFailed.incrementAndGet();
            }
        } catch (RuntimeException e) {
            run.statusPollsFailed.incrementAndGet();
        }
        Instant since = u.putAnsweredAt != null ? u.putAnsweredAt : u.scheduledAt;
        long waited = Duration.between(since, Instant.now()).toNanos();
        u.nextPollNanos = System.nanoTime() + Math.max(500_000_000L, Math.min(10_000_000_000L, waited / 4));
    }

    private void settle(SoakUpload u, JsonNode body) {
        u.settledAt = instant(body.path("settledAt"));
        u.action = body.path("action").asString("");
        u.reasons = body.path("reasons").toString();
        run.awaitingVerdict.remove(u.uploadId);
        if (u.settledAt == null) {
            return;
        }
        synchronized (run.faults) {
            for (SoakFault f : run.faults) {
                if (f.healedAt != null && !f.flowSeen && u.settledAt.isAfter(f.healedAt)) {
                    f.flowSeen = true;
                    // the poller follows the most overdue uploads first, so the exact delay comes in the summary
                    run.say("fault #%d %s: verdicts flowing again", f.number, f.kind.id);
                }
            }
        }
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            // epoch seconds with a fraction, should the signer ever write timestamps as numbers
            double seconds = node.asDouble();
            return Instant.ofEpochSecond((long) Math.floor(seconds), Math.round((seconds - Math.floor(seconds)) * 1e9));
        }
        return Instant.parse(node.asString());
    }
}
