package io.uploadguard.launcher.soak;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.demo.Demo;
import io.uploadguard.launcher.run.LaunchException;
import io.uploadguard.launcher.run.LauncherMain;
import io.uploadguard.launcher.run.LocalPipeline;
import io.uploadguard.launcher.run.LocalSettings;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxFaults;
import io.uploadguard.security.LocalTokens;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./soak}: a bounded soak run on loopback. It starts its own pipeline, sends uploads at a
 * steady rate from a handful of users (about one in ten is HTML posing as a PNG), injects faults at
 * random times from the seed (S3 down, SQS unreachable, PostgreSQL down, the enforcer killed with
 * SIGKILL), then brings everything back, waits for every verdict owed, redrives the dead-letter
 * queue if anything reached it, and checks that nothing was lost and the books reconcile.
 */
public final class Soak {

    private static final double DISGUISED_SHARE = 0.10;
    private static final int MIN_USERS = 10;
    /** Keeps each user under the signer's default 60 signed URLs a minute, with room for the burst after an outage. */
    private static final int URLS_PER_USER_MINUTE = 45;
    /** The default quota blocks a user at the third violation, which would turn the soak into a blocking test. */
    private static final int DISGUISED_PER_IDENTITY = 2;
    /** Under the default quota of 1000 objects per user, so long runs are not refused for quota. */
    private static final int UPLOADS_PER_IDENTITY = 900;

    private static final int MAX_PNG_SIZE = 64 * 1024;
    /** Client errors this soon after a part came back are still its fault (stale connections, warm-up). */
    private static final Duration FAULT_SLACK = Duration.ofSeconds(5);

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration QUIET_BETWEEN_FAULTS = Duration.ofSeconds(5);
    private static final int WORKERS = 64;
    private static final Duration POLL_ROUND = Duration.ofMillis(100);
    private static final byte[] PNG = Demo.Samples.png();
    private static final byte[] DISGUISED = Demo.Samples.disguisedHtml();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LocalPipeline pipeline;
    private final SandboxEndpoints sandbox;
    private final SandboxFaults sandboxFaults;
    private final SoakOptions options;
    private final PrintStream out;
    private final LocalSettings settings;
    private final SignerClient client;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    /** Keeps this run's users apart from other runs on the same pipeline (the smoke test shares one). */
    private final String runTag = "soak-" + Long.toString(System.nanoTime() & 0xffffffL, 36);

    private final int users;
    private final Random uploadRandom;
    private final int[] generation;
    private final int[] disguisedInGeneration;
    private final int[] uploadsInGeneration;

    private final ConcurrentLinkedQueue<SoakUpload> uploads = new ConcurrentLinkedQueue<>();
    private final Map<String, SoakUpload> awaitingVerdict = new ConcurrentHashMap<>();
    private final List<SoakFault> faults = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger statusPolls = new AtomicInteger();
    /** The machine's 1-minute load average every 10 s: figures from a busy machine say so. */
    private final List<Double> loadSamples = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger statusPollsFailed = new AtomicInteger();
    private final CountDownLatch ticksDone = new CountDownLatch(1);
    private final CountDownLatch stopFaults = new CountDownLatch(1);
    private final CountDownLatch aborted = new CountDownLatch(1);

    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, daemon("soak-ticker"));
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("soak-poller"));
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, daemon("soak-upload"));
    private volatile Thread faultThread;
    private volatile boolean enforcerKilled;
    private volatile boolean draining;
    private int ticked;
    private Instant startedAt;

    Soak(LocalPipeline pipeline, SandboxEndpoints sandbox, SoakOptions options, PrintStream out) {
        this.pipeline = pipeline;
        this.sandbox = sandbox;
        this.sandboxFaults = new SandboxFaults(sandbox);
        this.options = options;
        this.out = out;
        this.settings = pipeline.settings();
        this.client = new SignerClient(settings.signerUrl());
        this.users = Math.max(MIN_USERS, (int) Math.ceil(options.rate() * 60 / URLS_PER_USER_MINUTE));
        this.uploadRandom = new Random(options.seed());
        this.generation = new int[users];
        this.disguisedInGeneration = new int[users];
        this.uploadsInGeneration = new int[users];
    }

    public static void main(String[] args) {
        Path repo = Path.of(System.getProperty(LauncherMain.REPO_PROPERTY, "."))
                .toAbsolutePath()
                .normalize();
        SoakOptions options;
        try {
            Optional<SoakOptions> parsed = SoakOptions.parse(args, repo, new PrintWriter(System.out));
            if (parsed.isEmpty()) {
                return;
            }
            options = parsed.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        LocalPipeline pipeline;
        try {
            wipe(options.workDir());
            System.out.println("SOAK seed " + options.seed() + " (rerun: " + options.rerunCommand() + ")");
            System.out.println("starting the sandbox, the signer and the enforcer on free ports (logs in "
                    + options.workDir().resolve("logs") + ")...");
            pipeline = LocalPipeline.start(new LocalPipeline.Options(repo, options.workDir(), freePort(), freePort()));
        } catch (LaunchException | UncheckedIOException e) {
            System.err.println("the soak did not start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Soak soak = new Soak(
                pipeline,
                SandboxEndpoints.readFrom(options.workDir().resolve("sandbox/sandbox-endpoints.json")),
                options,
                System.out);
        Object closing = new Object();
        boolean[] closed = {false};
        // Ctrl-C or SIGTERM: stop sending and injecting, then stop every process this run started
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            soak.abort();
                            synchronized (closing) {
                                if (!closed[0]) {
                                    System.out.println("stopping the pipeline...");
                                    pipeline.close();
                                    closed[0] = true;
                                }
                            }
                        },
                        "soak-stop"));

        int status;
        try {
            status = soak.run().passed() ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("the soak could not be carried out: " + e.getMessage());
            status = 2;
        }
        synchronized (closing) {
            if (!closed[0]) {
                System.out.println("stopping the pipeline...");
                pipeline.close();
                closed[0] = true;
            }
        }
        System.exit(status);
    }

    /** Runs the whole soak against the pipeline and returns (and prints) what it found. */
    SoakSummary run() {
        startedAt = Instant.now();
        Instant uploadEnd = startedAt.plus(options.duration());
        int total = (int) Math.max(1, Math.round(options.duration().toMillis() / 1000.0 * options.rate()));
        say(
                "sending %d uploads at %.1f/s for %s from %d users (about %.0f%% HTML declared as image/png); faults: %s",
                total,
                options.rate(),
                SoakSummary.seconds(options.duration()),
                users,
                DISGUISED_SHARE * 100,
                options.faults().isEmpty() || options.maxFaults() == 0
                        ? "none"
                        : options.faults().stream().map(k -> k.id).toList() + " one at a time, every ~"
                                + SoakSummary.seconds(options.faultEvery()) + ", ~"
                                + SoakSummary.seconds(options.faultLength())
                                + " each");

        poller.scheduleWithFixedDelay(this::pollRound, 200, POLL_ROUND.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> progress = ticker.scheduleAtFixedRate(
                this::progress, PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        long period = Math.max(1, Math.round(1e9 / options.rate()));
        ScheduledFuture<?> ticks = ticker.scheduleAtFixedRate(() -> tick(total), 0, period, TimeUnit.NANOSECONDS);
        faultThread = new Thread(() -> runFaults(uploadEnd), "soak-faults");
        faultThread.setDaemon(true);
        faultThread.start();
        try {
            try {
                if (!ticksDone.await(options.duration().plusMinutes(1).toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the upload scheduler fell more than a minute behind");
                }
                Instant uploadsStopped = Instant.now();
                ticks.cancel(false);
                say("all %d uploads started; waiting for the fault in progress, if any, to end", total);
                stopFaults.countDown();
                faultThread.join(Duration.ofMinutes(5).toMillis());
                restoreEverything();
                workers.shutdown();
                if (!workers.awaitTermination(3, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("uploads still in progress 3 minutes after the last one started");
                }
                Instant drainStart = Instant.now();
                int[] deadLetters = drain();
                if (aborted.getCount() == 0) {
                    throw new IllegalStateException("interrupted");
                }
                progress.cancel(false);
                poller.shutdown();
                poller.awaitTermination(30, TimeUnit.SECONDS);
                Instant drainEnd = Instant.now();
                SoakSummary summary = summarize(uploadsStopped, Duration.between(drainStart, drainEnd), deadLetters);
                summary.print(out);
                return summary;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        } finally {
            ticker.shutdownNow();
            poller.shutdownNow();
            workers.shutdownNow();
            stopFaults.countDown();
        }
    }

    /** Ctrl-C: stop sending and injecting now; the fault in progress is not healed (the pipeline is stopped next). */
    void abort() {
        aborted.countDown();
        stopFaults.countDown();
        ticker.shutdownNow();
        workers.shutdownNow();
        poller.shutdownNow();
        Thread faulting = faultThread;
        if (faulting != null) {
            faulting.interrupt();
            try {
                // a restart of the enforcer under way must finish adding its process before the pipeline closes
                faulting.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- uploads -----------------------------------------------------------------------------

    /** One tick of the steady rate: draws the next upload from the seed and hands it to a worker. */
    private void tick(int total) {
        if (ticked >= total) {
            return;
        }
        int index = ticked++;
        // round robin, so every user gets the same share of the rate
        int slot = index % users;
        boolean disguised = uploadRandom.nextDouble() < DISGUISED_SHARE;
        // sizes spread evenly on a log scale, from the 67-byte PNG to 64 KiB
        double r = uploadRandom.nextDouble();
        int size = disguised
                ? DISGUISED.length
                : (int) Math.round(
                        Math.exp(Math.log(PNG.length) + r * (Math.log(MAX_PNG_SIZE) - Math.log(PNG.length))));
        if ((disguised && disguisedInGeneration[slot] == DISGUISED_PER_IDENTITY)
                || uploadsInGeneration[slot] == UPLOADS_PER_IDENTITY) {
            generation[slot]++;
            disguisedInGeneration[slot] = 0;
            uploadsInGeneration[slot] = 0;
        }
        uploadsInGeneration[slot]++;
        if (disguised) {
            disguisedInGeneration[slot]++;
        }
        String user = runTag + "-u" + slot + "-g" + generation[slot];
        SoakUpload upload = new SoakUpload(index, user, disguised, size, Instant.now());
        uploads.add(upload);
        if (ticked == total) {
            ticksDone.countDown();
        }
        try {
            workers.execute(() -> send(upload));
        } catch (RejectedExecutionException stopping) {
            // aborted
        }
    }

    /** What an app does: sign, then PUT with exactly the returned headers. */
    private void send(SoakUpload u) {
        u.startedAt = Instant.now();
        try {
            SignerClient.Reply signed;
            try {
                signed = client.sign(token(u.user), "avatar", "image/png", u.size, "soak-" + u.index + ".png");
            } catch (RuntimeException e) {
                u.outcome = SoakUpload.Outcome.SIGN_FAILED;
                u.detail = describe(e);
                return;
            }
            if (signed.status() != 201) {
                u.outcome = SoakUpload.Outcome.SIGN_REFUSED;
                u.httpStatus = signed.status();
                u.detail = signed.body().path("error").asString("no error code");
                return;
            }
            u.uploadId = signed.body().get("uploadId").asString();
            byte[] bytes = u.disguised ? DISGUISED : Arrays.copyOf(PNG, u.size);
            int put;
            try {
                put = client.put(signed.body(), bytes);
            } catch (RuntimeException e) {
                u.outcome = SoakUpload.Outcome.PUT_FAILED;
                u.detail = describe(e);
                return;
            }
            u.putAnsweredAt = Instant.now();
            u.httpStatus = put;
            if (put != 200) {
                u.outcome = SoakUpload.Outcome.PUT_REFUSED;
                return;
            }
            u.outcome = SoakUpload.Outcome.PUT_OK;
            u.status = "reserved";
            // most verdicts come within a second: asking sooner mostly costs a second poll
            u.nextPollNanos = System.nanoTime() + 1_000_000_000L;
            awaitingVerdict.put(u.uploadId, u);
        } finally {
            u.endedAt = Instant.now();
        }
    }

    private String token(String user) {
        // valid for the whole run, the drain and some margin
        return tokens.computeIfAbsent(
                user,
                u -> LocalTokens.mint(
                        settings.hmacSecret(),
                        u,
                        options.duration().plus(options.drainTimeout()).plusHours(1)));
    }

    // ---- verdicts ----------------------------------------------------------------------------

    /**
     * Asks the signer for the status of the uploads whose turn it is, most overdue first, within a
     * budget: on two cores, polling a backlog of a thousand uploads every few seconds would take
     * the CPU the enforcer needs to clear it. The latency comes from the verdict's own timestamp,
     * so polling less often costs no accuracy, only how soon the soak notices.
     */
    private void pollRound() {
        try {
            long now = System.nanoTime();
            double perSecond = draining ? Math.max(50, 5 * options.rate()) : Math.max(20, 3 * options.rate());
            int budget = (int) Math.ceil(perSecond * POLL_ROUND.toMillis() / 1000.0);
            List<SoakUpload> due = awaitingVerdict.values().stream()
                    .filter(u -> u.nextPollNanos <= now)
                    .sorted(Comparator.comparingLong(u -> u.nextPollNanos))
                    .limit(budget)
                    .toList();
            for (SoakUpload u : due) {
                if (aborted.getCount() == 0) {
                    return;
                }
                poll(u);
            }
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: keep polling whatever happens
            statusPollsFailed.incrementAndGet();
        }
    }

    private void poll(SoakUpload u) {
        statusPolls.incrementAndGet();
        try {
            SignerClient.Reply reply = client.status(token(u.user), u.uploadId);
            if (reply.status() == 200) {
                String status = reply.body().path("status").asString("");
                u.status = status;
                if (u.settled()) {
                    settle(u, reply.body());
                    return;
                }
                if (!"reserved".equals(status)) {
                    // expired, removed, gone: no verdict will come; the summary counts it as lost
                    awaitingVerdict.remove(u.uploadId);
                    return;
                }
            } else {
                statusPollsFailed.incrementAndGet();
            }
        } catch (RuntimeException e) {
            statusPollsFailed.incrementAndGet();
        }
        Instant since = u.putAnsweredAt != null ? u.putAnsweredAt : u.scheduledAt;
        long waited = Duration.between(since, Instant.now()).toNanos();
        u.nextPollNanos = System.nanoTime() + Math.max(500_000_000L, Math.min(10_000_000_000L, waited / 4));
    }

    private void settle(SoakUpload u, JsonNode body) {
        u.settledAt = instant(body.path("settledAt"));
        u.action = body.path("action").asString("");
        u.reasons = body.path("reasons").toString();
        awaitingVerdict.remove(u.uploadId);
        if (u.settledAt == null) {
            return;
        }
        synchronized (faults) {
            for (SoakFault f : faults) {
                if (f.healedAt != null && !f.flowSeen && u.settledAt.isAfter(f.healedAt)) {
                    f.flowSeen = true;
                    // the poller follows the most overdue uploads first, so the exact delay comes in the summary
                    say("fault #%d %s: verdicts flowing again", f.number, f.kind.id);
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

    // ---- faults ------------------------------------------------------------------------------

    /**
     * One fault at a time. The seed fixes the order (all kinds once, shuffled, then again), the
     * lengths and the gaps; the gap is counted from the previous start and is at least a few
     * seconds after the part came back, so an enforcer that is slow to restart delays the next one.
     */
    private void runFaults(Instant uploadEnd) {
        if (options.faults().isEmpty()) {
            return;
        }
        Random random = new Random(options.seed() * 31 + 7);
        List<SoakFault.Kind> bag = new ArrayList<>();
        Instant next = startedAt.plus(scale(options.faultEvery(), random.nextDouble(), 0.3, 0.8));
        for (int number = 1; number <= options.maxFaults(); number++) {
            Duration length = scale(options.faultLength(), random.nextDouble(), 0.8, 1.2);
            double gap = random.nextDouble();
            if (bag.isEmpty()) {
                bag.addAll(options.faults());
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
            faults.add(fault);
            inject(fault);
            if (aborted.getCount() == 0) {
                return;
            }
            Instant back = fault.healedAt != null ? fault.healedAt : Instant.now();
            Instant planned = fault.startedAt.plus(scale(options.faultEvery(), gap, 0.6, 1.4));
            Instant earliest = back.plus(QUIET_BETWEEN_FAULTS);
            next = planned.isAfter(earliest) ? planned : earliest;
        }
    }

    private void inject(SoakFault f) {
        f.startedAt = Instant.now();
        say("fault #%d %s for %s", f.number, f.kind.label, SoakSummary.seconds(f.planned));
        try {
            if (f.kind == SoakFault.Kind.ENFORCER) {
                enforcerKilled = true;
                pipeline.killEnforcerHard();
            } else {
                sandboxFaults.stop(f.kind.id);
            }
        } catch (RuntimeException e) {
            f.error = "could not inject it: " + e.getMessage();
            say("fault #%d %s: %s", f.number, f.kind.id, f.error);
        }
        try {
            aborted.await(f.planned.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (aborted.getCount() == 0) {
            return;
        }
        heal(f);
    }

    private void heal(SoakFault f) {
        f.healAskedAt = Instant.now();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3 && aborted.getCount() > 0; attempt++) {
            try {
                bringBack(f.kind);
                f.healedAt = Instant.now();
                if (f.kind == SoakFault.Kind.ENFORCER) {
                    say(
                            "fault #%d enforcer restarted, ready after %s",
                            f.number, SoakSummary.seconds(Duration.between(f.healAskedAt, f.healedAt)));
                } else {
                    say("fault #%d %s back", f.number, f.kind.id);
                }
                return;
            } catch (RuntimeException e) {
                last = e;
                say(
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
    private void restoreEverything() {
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
        say("every part is running; waiting for the uploads still in progress");
    }

    // ---- the end -----------------------------------------------------------------------------

    /**
     * Waits for every verdict owed, redriving the dead-letter queue whenever something is in it.
     * Returns {redriven, left in the dead-letter queue}.
     */
    private int[] drain() throws InterruptedException {
        say(
                "waiting up to %s for the %d verdict(s) still owed",
                SoakSummary.seconds(options.drainTimeout()), awaitingVerdict.size());
        Instant deadline = Instant.now().plus(options.drainTimeout());
        draining = true;
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
                        say("redrove %d message(s) from the dead-letter queue to the events queue", moved);
                    }
                    nextCheck = Instant.now().plusSeconds(5);
                }
                if (awaitingVerdict.isEmpty() || !Instant.now().isBefore(deadline) || aborted.getCount() == 0) {
                    break;
                }
                aborted.await(500, TimeUnit.MILLISECONDS);
            }
            depth = deadLetters.depth();
            if (depth > 0) {
                // left over after the drain: redrive so the next check sees them processed, and report them
                int moved = deadLetters.redrive();
                redriven += moved;
                say("redrove %d more message(s) from the dead-letter queue after the drain", moved);
                aborted.await(5, TimeUnit.SECONDS);
                depth = deadLetters.depth();
            }
            return new int[] {redriven, depth};
        }
    }

    private SoakSummary summarize(Instant uploadsStopped, Duration drain, int[] deadLetters) {
        List<SoakUpload> all = new ArrayList<>(uploads);
        all.sort(Comparator.comparingInt(u -> u.index));
        List<SoakFault> injected = new ArrayList<>(faults);

        // uploads whose PUT failed or was refused: S3 may still have kept the object; ask once
        for (SoakUpload u : all) {
            if (u.signed() && u.outcome != SoakUpload.Outcome.PUT_OK) {
                poll(u);
            }
        }

        int signed = 0;
        int putOk = 0;
        int settled = 0;
        int accepted = 0;
        int quarantined = 0;
        int rejectedOtherwise = 0;
        int refusedSigning = 0;
        int refusedPut = 0;
        int storedDespiteError = 0;
        Map<String, Integer> errors = new TreeMap<>();
        List<String> lost = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (SoakUpload u : all) {
            if (u.signed()) {
                signed++;
            }
            switch (u.outcome) {
                case PUT_OK -> putOk++;
                case SIGN_FAILED, SIGN_REFUSED -> {
                    boolean serverSide = u.outcome == SoakUpload.Outcome.SIGN_FAILED || u.httpStatus >= 500;
                    if (serverSide && during(injected, SoakFault.Kind.POSTGRES, u)) {
                        refusedSigning++;
                    } else {
                        errors.merge(
                                "signing "
                                        + (u.outcome == SoakUpload.Outcome.SIGN_FAILED
                                                ? u.detail
                                                : u.httpStatus + " " + u.detail),
                                1,
                                Integer::sum);
                    }
                }
                case PUT_FAILED, PUT_REFUSED -> {
                    boolean serverSide = u.outcome == SoakUpload.Outcome.PUT_FAILED || u.httpStatus >= 500;
                    if (serverSide && during(injected, SoakFault.Kind.S3, u)) {
                        refusedPut++;
                    } else {
                        errors.merge(
                                "PUT "
                                        + (u.outcome == SoakUpload.Outcome.PUT_FAILED
                                                ? u.detail
                                                : "HTTP " + u.httpStatus),
                                1,
                                Integer::sum);
                    }
                    if (u.settled()) {
                        storedDespiteError++;
                    }
                }
                default -> errors.merge("never sent (the run was cut short)", 1, Integer::sum);
            }
            if (u.outcome == SoakUpload.Outcome.PUT_OK && !u.settled()) {
                lost.add(u.uploadId + " (" + u.user + ", upload " + u.index + ", last status " + u.status + ")");
            }
            if (u.settled()) {
                settled++;
                if (u.status.equals("accepted")) {
                    accepted++;
                } else if ("quarantined".equals(u.action)) {
                    quarantined++;
                } else {
                    rejectedOtherwise++;
                }
                String expectedAction = u.disguised ? "quarantined" : "promoted";
                if (!u.status.equals(u.expectedStatus())
                        || !expectedAction.equals(u.action)
                        || (u.disguised && !u.reasons.contains("TYPE_MISMATCH"))) {
                    wrong.add(u.uploadId + " (" + (u.disguised ? "disguised HTML" : "honest PNG") + "): " + u.status
                            + " " + u.action + " " + u.reasons);
                }
            }
        }

        // a verdict decided while PostgreSQL was down was booked once it came back, not before
        for (SoakUpload u : all) {
            if (u.settled() && u.settledAt != null) {
                Instant at = u.settledAt;
                for (SoakFault f : injected) {
                    if (f.kind == SoakFault.Kind.POSTGRES
                            && f.healedAt != null
                            && !at.isBefore(f.startedAt)
                            && at.isBefore(f.healedAt)) {
                        at = f.healedAt;
                    }
                }
                u.verdictAt = at;
            }
        }

        Duration uploadPhase = Duration.between(startedAt, uploadsStopped);
        List<SoakSummary.FaultResult> faultResults = new ArrayList<>();
        List<Instant[]> impact = new ArrayList<>();
        for (int i = 0; i < injected.size(); i++) {
            SoakFault f = injected.get(i);
            Instant nextFault = i + 1 < injected.size() ? injected.get(i + 1).startedAt : null;
            Duration again = null;
            Duration cleared = null;
            if (f.healedAt != null) {
                Instant back = f.healedAt;
                // the first verdict decided after the part was back (a verdict decided during a
                // PostgreSQL outage and booked after it would make this look like zero)
                again = all.stream()
                        .filter(SoakUpload::settled)
                        .map(u -> u.settledAt)
                        .filter(t -> t != null && t.isAfter(back))
                        .min(Comparator.naturalOrder())
                        .map(t -> Duration.between(back, t))
                        .orElse(null);
                List<SoakUpload> before = all.stream()
                        .filter(u -> u.outcome == SoakUpload.Outcome.PUT_OK && !u.putAnsweredAt.isAfter(back))
                        .toList();
                if (before.stream().allMatch(u -> u.settled() && u.verdictAt != null)) {
                    cleared = before.stream()
                            .map(u -> Duration.between(back, u.verdictAt))
                            .max(Comparator.naturalOrder())
                            .filter(d -> !d.isNegative())
                            .orElse(Duration.ZERO);
                }
                impact.add(new Instant[] {f.startedAt, back.plus(cleared == null ? Duration.ofDays(1) : cleared)});
            } else {
                impact.add(new Instant[] {f.startedAt, Instant.MAX});
            }
            Instant end = f.healedAt != null ? f.healedAt : Instant.now();
            Duration down = Duration.between(f.startedAt, f.healAskedAt != null ? f.healAskedAt : end);
            Duration restart = f.kind == SoakFault.Kind.ENFORCER && f.healAskedAt != null && f.healedAt != null
                    ? Duration.between(f.healAskedAt, f.healedAt)
                    : null;
            boolean clearedAfterNext = cleared != null
                    && nextFault != null
                    && f.healedAt.plus(cleared).isAfter(nextFault);
            faultResults.add(new SoakSummary.FaultResult(
                    f.number,
                    f.kind,
                    Duration.between(startedAt, f.startedAt),
                    down,
                    restart,
                    again,
                    cleared,
                    clearedAfterNext,
                    f.error));
        }

        List<SoakUpload> judged = all.stream()
                .filter(u -> u.outcome == SoakUpload.Outcome.PUT_OK && u.settled() && u.latency() != null)
                .toList();
        SoakSummary.Latency latency =
                latency(judged.stream().map(SoakUpload::latency).toList());
        // clear of faults: the upload waited for its verdict while no fault, nor the backlog it left, was in the way
        SoakSummary.Latency clear = latency(judged.stream()
                .filter(u ->
                        impact.stream().noneMatch(w -> !u.putAnsweredAt.isAfter(w[1]) && !u.verdictAt.isBefore(w[0])))
                .map(SoakUpload::latency)
                .toList());

        double seconds = uploadPhase.toNanos() / 1e9;
        Duration maxLag = all.stream()
                .filter(u -> u.startedAt != null)
                .map(u -> Duration.between(u.scheduledAt, u.startedAt))
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        SoakSummary.Rates rates = new SoakSummary.Rates(
                options.rate(), all.size() / seconds, putOk / seconds, lowestWindow(all, uploadPhase), maxLag);

        List<String> books = new ArrayList<>();
        int accounts = checkBooks(all, books);
        SoakSummary.Reconciliation reconciliation = reconcile();

        Duration total = Duration.between(startedAt, Instant.now());
        int identities = (int) all.stream().map(u -> u.user).distinct().count();
        List<Double> loads = new ArrayList<>(loadSamples);
        SoakSummary.Machine machine = new SoakSummary.Machine(
                Runtime.getRuntime().availableProcessors(),
                loads.stream().mapToDouble(Double::doubleValue).average().orElse(-1),
                loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1));
        return new SoakSummary(
                options,
                machine,
                uploadPhase,
                drain,
                total,
                users,
                identities,
                new SoakSummary.Counts(
                        all.size(),
                        signed,
                        putOk,
                        settled,
                        accepted,
                        quarantined,
                        rejectedOtherwise,
                        refusedSigning,
                        refusedPut,
                        storedDespiteError,
                        errors,
                        statusPolls.get(),
                        statusPollsFailed.get()),
                rates,
                latency,
                clear,
                faultResults,
                deadLetters[0],
                deadLetters[1],
                lost,
                wrong,
                accounts,
                books,
                reconciliation);
    }

    /** Whether a fault of this kind was going on while the upload was being sent. */
    private static boolean during(List<SoakFault> faults, SoakFault.Kind kind, SoakUpload u) {
        Instant from = u.startedAt != null ? u.startedAt : u.scheduledAt;
        Instant to = u.endedAt != null ? u.endedAt : Instant.now();
        return faults.stream().anyMatch(f -> f.kind == kind && f.overlaps(from, to, FAULT_SLACK));
    }

    private static SoakSummary.Latency latency(List<Duration> values) {
        if (values.isEmpty()) {
            return new SoakSummary.Latency(0, null, null, null, null);
        }
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new SoakSummary.Latency(
                sorted.size(),
                rank(sorted, 0.50),
                rank(sorted, 0.90),
                rank(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile: a value that was actually measured. */
    private static Duration rank(List<Duration> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** The lowest PUT-ok rate over the whole 10-second windows of the upload phase. */
    private double lowestWindow(List<SoakUpload> all, Duration uploadPhase) {
        long window = PROGRESS_EVERY.toMillis();
        int windows = (int) Math.max(1, uploadPhase.toMillis() / window);
        int[] counts = new int[windows];
        for (SoakUpload u : all) {
            int w = (int) (Duration.between(startedAt, u.scheduledAt).toMillis() / window);
            if (u.outcome == SoakUpload.Outcome.PUT_OK && w < windows) {
                counts[w]++;
            }
        }
        double seconds = Math.min(window, uploadPhase.toMillis()) / 1000.0;
        return Arrays.stream(counts).min().orElse(0) / seconds;
    }

    /**
     * Each account against this run's uploads, through the admin API: used must be exactly the
     * accepted uploads (each once), reserved exactly the signed uploads that never arrived, and no
     * one blocked. Returns how many accounts were checked.
     */
    private int checkBooks(List<SoakUpload> all, List<String> mismatches) {
        Map<String, List<SoakUpload>> byUser = new LinkedHashMap<>();
        all.stream()
                .filter(SoakUpload::signed)
                .forEach(u ->
                        byUser.computeIfAbsent(u.user, k -> new ArrayList<>()).add(u));
        for (Map.Entry<String, List<SoakUpload>> entry : byUser.entrySet()) {
            List<SoakUpload> own = entry.getValue();
            long bytesUsed = own.stream()
                    .filter(u -> "accepted".equals(u.status))
                    .mapToLong(u -> u.size)
                    .sum();
            long objectsUsed =
                    own.stream().filter(u -> "accepted".equals(u.status)).count();
            long bytesReserved = own.stream()
                    .filter(u -> "reserved".equals(u.status) || u.status == null)
                    .mapToLong(u -> u.size)
                    .sum();
            long objectsReserved = own.stream()
                    .filter(u -> "reserved".equals(u.status) || u.status == null)
                    .count();
            long violations =
                    own.stream().filter(u -> "rejected".equals(u.status)).count();
            JsonNode account;
            try {
                account = admin("/admin/users/" + URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)
                        + "?limit=1&auditLimit=1");
            } catch (RuntimeException e) {
                mismatches.add(entry.getKey() + ": " + e.getMessage());
                continue;
            }
            JsonNode usage = account.path("usage");
            List<String> differences = new ArrayList<>();
            compare(differences, "bytesUsed", usage.path("bytesUsed").asLong(-1), bytesUsed);
            compare(differences, "objectsUsed", usage.path("objectsUsed").asLong(-1), objectsUsed);
            compare(differences, "bytesReserved", usage.path("bytesReserved").asLong(-1), bytesReserved);
            compare(
                    differences,
                    "objectsReserved",
                    usage.path("objectsReserved").asLong(-1),
                    objectsReserved);
            compare(differences, "violations", account.path("violations").asLong(-1), violations);
            if (account.path("blocked").asBoolean(false)) {
                differences.add("blocked");
            }
            if (!differences.isEmpty()) {
                mismatches.add(entry.getKey() + ": " + String.join(", ", differences));
            }
        }
        return byUser.size();
    }

    private static void compare(List<String> differences, String what, long actual, long expected) {
        if (actual != expected) {
            differences.add(what + " " + actual + " (expected " + expected + ")");
        }
    }

    /**
     * The enforcer's invariant check with no grace for objects in {@code incoming/}: everything
     * should be settled by now. An object S3 kept despite an error answer may still be on its way
     * through the queue, so an unsettled object is looked at again for up to a minute.
     */
    private SoakSummary.Reconciliation reconcile() {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode report;
        while (true) {
            try {
                report = admin("/admin/reconciliation?settleGrace=PT0S");
            } catch (RuntimeException e) {
                return new SoakSummary.Reconciliation(false, "could not run the check: " + e.getMessage());
            }
            boolean onlyInFlight = report.path("unsettledIncoming").size() > 0
                    && drift(report, false).isEmpty();
            if (report.path("consistent").asBoolean(false)
                    || !onlyInFlight
                    || !Instant.now().isBefore(deadline)) {
                break;
            }
            try {
                if (aborted.await(3, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (report.path("consistent").asBoolean(false)) {
            return new SoakSummary.Reconciliation(
                    true,
                    "invariants hold (GET /admin/reconciliation: "
                            + report.path("incomingObjects").asLong()
                            + " objects in incoming/, no drift between the bucket "
                            + "and the ledger, every account's counters equal the sums of its upload rows)");
        }
        return new SoakSummary.Reconciliation(false, "DRIFT: " + String.join("; ", drift(report, true)));
    }

    private static List<String> drift(JsonNode report, boolean withUnsettled) {
        List<String> found = new ArrayList<>();
        Stream.of(
                        "unsettledIncoming",
                        "servedWithoutAcceptedUpload",
                        "acceptedWithoutServedObject",
                        "quarantinedWithoutUpload",
                        "quarantineUploadWithoutObject",
                        "accountDrift")
                .filter(field -> withUnsettled || !field.equals("unsettledIncoming"))
                .forEach(field -> {
                    JsonNode items = report.path(field);
                    if (items.size() > 0) {
                        found.add(field + " " + items.size() + ": " + abbreviate(items.toString()));
                    }
                });
        return found;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private JsonNode admin(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(settings.enforcerUrl() + path))
                .header("Authorization", "Bearer " + settings.adminToken())
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path.replaceFirst("\\?.*", "") + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot reach " + request.uri().getHost() + ":"
                            + request.uri().getPort() + ": " + describe(e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- output and helpers ------------------------------------------------------------------

    private void progress() {
        try {
            int attempted = 0;
            int putOk = 0;
            int settled = 0;
            int failed = 0;
            for (SoakUpload u : uploads) {
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
            synchronized (faults) {
                for (SoakFault f : faults) {
                    if (f.healedAt == null && f.error == null) {
                        active = "  [fault #" + f.number + " " + f.kind.id + " on]";
                    }
                }
            }
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            if (load >= 0) {
                loadSamples.add(load);
            }
            // "seen": the poller follows a backlog within a budget, so the enforcer may be further along
            say(
                    "%d started, %d PUT ok, %d verdicts seen, %d not seen yet, %d refused or failed, load %.1f%s",
                    attempted, putOk, settled, awaitingVerdict.size(), failed, load, active);
        } catch (RuntimeException e) {
            // progress lines are a courtesy: never let one stop the next
        }
    }

    private void say(String format, Object... args) {
        double t = startedAt == null
                ? 0
                : Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
        out.println(String.format(Locale.ROOT, "t=+%6.1fs  ", t) + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private static Duration scale(Duration mean, double random, double low, double high) {
        return Duration.ofMillis(Math.round(mean.toMillis() * (low + random * (high - low))));
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The work folder is wiped so every run starts from an empty sandbox; to make sure it is never a
     * folder someone cares about, it must be new, empty, or one a soak made (it carries a marker).
     */
    private static void wipe(Path dir) {
        Path marker = dir.resolve(".uploadguard-soak");
        try {
            if (Files.isDirectory(dir)) {
                boolean empty;
                try (Stream<Path> entries = Files.list(dir)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!empty && !Files.exists(marker)) {
                    throw new LaunchException("refusing to wipe " + dir + ": it is not empty and no soak made it "
                            + "(no .uploadguard-soak in it); pass --work-dir with a new or empty folder");
                }
                try (Stream<Path> tree = Files.walk(dir)) {
                    for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                        if (!path.equals(dir)) {
                            Files.delete(path);
                        }
                    }
                }
            }
            Files.createDirectories(dir);
            Files.writeString(marker, "made by ./soak; wiped at the start of every soak run\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the work folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port: " + e.getMessage(), e);
        }
    }
}
