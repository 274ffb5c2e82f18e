package io.uploadguard.launcher.soak;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.demo.Demo;
import io.uploadguard.security.LocalTokens;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The soak's uploads: at each tick of the steady rate, the next upload drawn from the seed (about
 * one in ten is HTML posing as a PNG), sent by a worker as an app would (sign, then PUT with
 * exactly the returned headers), from a handful of users kept under the signer's limits.
 */
final class SoakTraffic {

    static final double DISGUISED_SHARE = 0.10;
    private static final int MIN_USERS = 10;
    /** Keeps each user under the signer's default 60 signed URLs a minute, with room for the burst after an outage. */
    private static final int URLS_PER_USER_MINUTE = 45;
    /** The default quota blocks a user at the third violation, which would turn the soak into a blocking test. */
    private static final int DISGUISED_PER_IDENTITY = 2;
    /** Under the default quota of 1000 objects per user, so long runs are not refused for quota. */
    private static final int UPLOADS_PER_IDENTITY = 900;

    private static final int MAX_PNG_SIZE = 64 * 1024;
    private static final int WORKERS = 64;
    private static final byte[] PNG = Demo.Samples.png();
    private static final byte[] DISGUISED = Demo.Samples.disguisedHtml();

    private final SoakRun run;
    private final SignerClient client;
    private final String hmacSecret;
    /** Keeps this run's users apart from other runs on the same pipeline (the smoke test shares one). */
    private final String runTag = "soak-" + Long.toString(System.nanoTime() & 0xffffffL, 36);

    private final int users;
    private final Random uploadRandom;
    private final int[] generation;
    private final int[] disguisedInGeneration;
    private final int[] uploadsInGeneration;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final CountDownLatch allStarted = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, SoakRun.daemon("soak-upload"));
    private int ticked;

    SoakTraffic(SoakRun run, SignerClient client, String hmacSecret) {
        this.run = run;
        this.client = client;
        this.hmacSecret = hmacSecret;
        this.users = Math.max(MIN_USERS, (int) Math.ceil(run.options.rate() * 60 / URLS_PER_USER_MINUTE));
        this.uploadRandom = new Random(run.options.seed());
        this.generation = new int[users];
        this.disguisedInGeneration = new int[users];
        this.uploadsInGeneration = new int[users];
    }

    int users() {
        return users;
    }

    /** Waits until the last tick has handed its upload to a worker; false if that took longer than {@code millis}. */
    boolean awaitAllStarted(long millis) throws InterruptedException {
        return allStarted.await(millis, TimeUnit.MILLISECONDS);
    }

    /** No new uploads; waits for those in progress. False if some are still going after {@code minutes}. */
    boolean finish(long minutes) throws InterruptedException {
        workers.shutdown();
        return workers.awaitTermination(minutes, TimeUnit.MINUTES);
    }

    void stopNow() {
        workers.shutdownNow();
    }

    /** One tick of the steady rate: draws the next upload from the seed and hands it to a worker. */
    void tick(int total) {
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
        run.uploads.add(upload);
        if (ticked == total) {
            allStarted.countDown();
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
                u.detail = SoakRun.describe(e);
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
                u.detail = SoakRun.describe(e);
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
            run.awaitingVerdict.put(u.uploadId, u);
        } finally {
            u.endedAt = Instant.now();
        }
    }

    /** The user's token, minted once per run. */
    String token(String user) {
        // valid for the whole run, the drain and some margin
        return tokens.computeIfAbsent(
                user,
                u -> LocalTokens.mint(
                        hmacSecret,
                        u,
                        run.options.duration().plus(run.options.drainTimeout()).plusHours(1)));
    }
}
