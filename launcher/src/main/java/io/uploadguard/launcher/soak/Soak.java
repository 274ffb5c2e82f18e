package io.uploadguard.launcher.soak;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.run.LaunchException;
import io.uploadguard.launcher.run.LauncherMain;
import io.uploadguard.launcher.run.LocalPipeline;
import io.uploadguard.launcher.run.LocalSettings;
import io.uploadguard.sandbox.client.CommandLines;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxFaults;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./soak}: a bounded soak run on loopback. It starts its own pipeline, sends uploads at a
 * steady rate from a handful of users ({@link SoakTraffic}), injects faults at random times from
 * the seed ({@link FaultInjector}), then brings everything back, waits for every verdict owed
 * ({@link VerdictPoller}, {@link DeadLetterDrain}), and checks that nothing was lost and the books
 * reconcile ({@link SoakBooks}, {@link SoakSummarizer}).
 */
public final class Soak {

    private final SoakOptions options;
    private final SoakRun run;
    private final SoakTraffic traffic;
    private final VerdictPoller poller;
    private final FaultInjector faults;
    private final DeadLetterDrain drain;
    private final SoakProgress progress;
    private final SoakSummarizer summarizer;
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, SoakRun.daemon("soak-ticker"));
    private volatile Thread faultThread;

    Soak(LocalPipeline pipeline, SandboxEndpoints sandbox, SoakOptions options, PrintStream out) {
        LocalSettings settings = pipeline.settings();
        SignerClient client = new SignerClient(settings.signerUrl());
        this.options = options;
        this.run = new SoakRun(options, out);
        this.traffic = new SoakTraffic(run, client, settings.hmacSecret());
        this.poller = new VerdictPoller(run, client, traffic);
        this.faults = new FaultInjector(run, pipeline, new SandboxFaults(sandbox));
        this.drain = new DeadLetterDrain(run, sandbox);
        this.progress = new SoakProgress(run);
        this.summarizer = new SoakSummarizer(run, poller, new SoakBooks(run, client, settings));
    }

    public static void main(String[] args) {
        Path repo = Path.of(System.getProperty(LauncherMain.REPO_PROPERTY, "."))
                .toAbsolutePath()
                .normalize();
        SoakOptions options = CommandLines.parseOrExit(out -> SoakOptions.parse(args, repo, out));
        LocalPipeline pipeline;
        try {
            wipe(options.workDir());
            System.out.println("SOAK seed " + options.seed() + " (rerun: " + options.rerunCommand() + ")");
            System.out.println("starting the sandbox, the signer and the enforcer on free ports (logs in "
                    + options.workDir().resolve("logs") + ")...");
            pipeline = LocalPipeline.start(LocalPipeline.Options.onFreePorts(repo, options.workDir()));
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
        run.start();
        Instant uploadEnd = run.startedAt().plus(options.duration());
        int total = (int) Math.max(1, Math.round(options.duration().toMillis() / 1000.0 * options.rate()));
        announce(total);
        poller.start();
        long every = SoakRun.PROGRESS_EVERY.toMillis();
        ScheduledFuture<?> progressLines =
                ticker.scheduleAtFixedRate(progress::print, every, every, TimeUnit.MILLISECONDS);
        long period = Math.max(1, Math.round(1e9 / options.rate()));
        ScheduledFuture<?> ticks =
                ticker.scheduleAtFixedRate(() -> traffic.tick(total), 0, period, TimeUnit.NANOSECONDS);
        faultThread = new Thread(() -> faults.runFaults(uploadEnd), "soak-faults");
        faultThread.setDaemon(true);
        faultThread.start();
        try {
            if (!traffic.awaitAllStarted(options.duration().plusMinutes(1).toMillis())) {
                throw new IllegalStateException("the upload scheduler fell more than a minute behind");
            }
            Instant uploadsStopped = Instant.now();
            ticks.cancel(false);
            run.say("all %d uploads started; waiting for the fault in progress, if any, to end", total);
            faults.stop();
            faultThread.join(Duration.ofMinutes(5).toMillis());
            faults.restoreEverything();
            if (!traffic.finish(3)) {
                throw new IllegalStateException("uploads still in progress 3 minutes after the last one started");
            }
            Instant drainStart = Instant.now();
            poller.draining();
            int[] deadLetters = drain.drain();
            if (run.aborted()) {
                throw new IllegalStateException("interrupted");
            }
            progressLines.cancel(false);
            poller.stop();
            SoakSummary summary = summarizer.summarize(
                    uploadsStopped, Duration.between(drainStart, Instant.now()), deadLetters, traffic.users());
            summary.print(run.out());
            return summary;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            ticker.shutdownNow();
            poller.stopNow();
            traffic.stopNow();
            faults.stop();
        }
    }

    private void announce(int total) {
        run.say(
                "sending %d uploads at %.1f/s for %s from %d users (about %.0f%% HTML declared as image/png); faults: %s",
                total,
                options.rate(),
                SoakSummary.seconds(options.duration()),
                traffic.users(),
                SoakTraffic.DISGUISED_SHARE * 100,
                options.faults().isEmpty() || options.maxFaults() == 0
                        ? "none"
                        : options.faults().stream().map(k -> k.id).toList() + " one at a time, every ~"
                                + SoakSummary.seconds(options.faultEvery()) + ", ~"
                                + SoakSummary.seconds(options.faultLength())
                                + " each");
    }

    /** Ctrl-C: stop sending and injecting now; the fault in progress is not healed (the pipeline is stopped next). */
    void abort() {
        run.abort();
        faults.stop();
        ticker.shutdownNow();
        traffic.stopNow();
        poller.stopNow();
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
}
