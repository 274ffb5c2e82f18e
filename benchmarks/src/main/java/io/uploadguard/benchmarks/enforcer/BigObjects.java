package io.uploadguard.benchmarks.enforcer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Phase D: the enforcer's memory while it inspects and promotes objects of 1 GiB. Samples its heap
 * in use (and resident set size) every 200 ms while it is idle (baseline), while {@code count}
 * such objects are uploaded one after the other and enforced (each one: HEAD, a ranged GET of
 * 8 KiB, a server-side copy to served/, a delete), and idle again after. The objects are PNGs
 * generated as they are sent: this harness never holds one. Each promoted copy is checked (its
 * verdict, its size, the books) and then deleted through S3, as a user would, so that the sandbox's
 * store never holds more than about two of them.
 */
final class BigObjects {

    private BigObjects() {}

    static boolean run(Map<String, String> opts) throws Exception {
        int count = Opts.integer(opts, "count", 3);
        long size = Opts.longValue(opts, "size", 1L << 30);
        int idleSeconds = Opts.integer(opts, "idle-seconds", 6);
        String actuator = Opts.required(opts, "actuator");
        long enforcerPid = Opts.longValue(opts, "enforcer-pid", 0);
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "eb-D-" + runId + "-";
        try (BenchContext ctx = BenchContext.open(opts, 2);
                EnforcerProbe probe = new EnforcerProbe(actuator, enforcerPid, 200)) {
            boolean ok = true;
            List<Uploads.Signed> uploads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String user = prefix + String.format(Locale.ROOT, "%03d", i);
                uploads.add(Uploads.sign(ctx, i, user, "big", "image/png", size, true));
            }
            double gc0 = probe.metric("jvm_gc_pause_seconds_count");
            long idle0 = System.nanoTime();
            Thread.sleep(idleSeconds * 1000L); // the idle baseline window
            long idle1 = System.nanoTime();
            double gc1 = probe.metric("jvm_gc_pause_seconds_count");

            double[] latency = new double[count];
            double[] putSeconds = new double[count];
            double[] bookedSeconds = new double[count];
            long during0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Uploads.Signed upload = uploads.get(i);
                long p0 = System.nanoTime();
                Uploads.putStreaming(ctx, upload, () -> Fixtures.streamingPng(size));
                Instant putDone = Instant.now();
                putSeconds[i] = (System.nanoTime() - p0) / 1e9;
                Instant[] seen = new Instant[1];
                var verdicts = Uploads.awaitVerdicts(ctx, upload.user(), 1, Duration.ofSeconds(180), seen);
                bookedSeconds[i] = EnforcedRun.micros(putDone, seen[0]) / 1e6;
                Uploads.Verdict verdict = verdicts.get(upload.key());
                if (verdict == null) {
                    System.out.println("   CHECK FAILED: no verdict within 180 s for " + upload.key()
                            + " (see the enforcer's log)");
                    ok = false;
                    break;
                }
                latency[i] = EnforcedRun.micros(putDone, verdict.settledAt()) / 1e3;
                ok &= Uploads.verify(ctx, upload.user(), List.of(upload), verdicts);
                String served = ctx.layout.servedKey(upload.key());
                HeadObjectResponse head =
                        ctx.s3.headObject(r -> r.bucket(ctx.bucket()).key(served));
                if (head.contentLength() != size) {
                    System.out.println(
                            "   CHECK FAILED: the promoted copy " + served + " has " + head.contentLength() + " bytes");
                    ok = false;
                }
                // give the space back (a user deleting the object); the enforcer books that removal too
                ctx.s3.deleteObject(r -> r.bucket(ctx.bucket()).key(served));
            }
            long during1 = System.nanoTime();
            double gc2 = probe.metric("jvm_gc_pause_seconds_count");
            Thread.sleep(idleSeconds * 1000L); // the idle window after
            long after1 = System.nanoTime();

            double[] idle = mib(probe.heapBetween(idle0, idle1));
            double[] during = mib(probe.heapBetween(during0, during1));
            double[] after = mib(probe.heapBetween(during1, after1));
            // the idle baseline is both idle windows: a heap that only creeps up between two collections
            // may not reach its usual peak in a few seconds
            double idleMax = Math.max(Stats.max(idle), Stats.max(after));
            double[] rssIdle = mib(probe.rssBetween(idle0, idle1));
            double[] rssDuring = mib(probe.rssBetween(during0, during1));
            double ratio = Stats.max(during) / idleMax;

            System.out.printf(
                    Locale.ROOT,
                    "big objects: %d x %d MiB uploaded one after the other (streamed, "
                            + "never held): PUT %s s, upload-to-verdict (settled_at) %s ms, verdict booked (seen in "
                            + "the ledger) after %s s: the server-side copy of each object is in between%n",
                    count,
                    size >> 20,
                    Arrays.toString(Arrays.stream(putSeconds)
                            .map(s -> Math.round(s * 10) / 10.0)
                            .toArray()),
                    Arrays.toString(
                            Arrays.stream(latency).mapToLong(Math::round).toArray()),
                    Arrays.toString(Arrays.stream(bookedSeconds)
                            .map(s -> Math.round(s * 10) / 10.0)
                            .toArray()));
            System.out.printf(
                    Locale.ROOT,
                    "   enforcer heap in use, idle before (%d s): mean %.0f MiB, max %.0f MiB "
                            + "(%d samples, %.0f GC pauses)%n",
                    idleSeconds,
                    Stats.mean(idle),
                    Stats.max(idle),
                    idle.length,
                    gc1 - gc0);
            System.out.printf(
                    Locale.ROOT,
                    "   enforcer heap in use, during (%.1f s): mean %.0f MiB, max %.0f MiB "
                            + "(%d samples, %.0f GC pauses)%n",
                    (during1 - during0) / 1e9,
                    Stats.mean(during),
                    Stats.max(during),
                    during.length,
                    gc2 - gc1);
            System.out.printf(
                    Locale.ROOT,
                    "   enforcer heap in use, idle after (%d s): mean %.0f MiB, max %.0f MiB%n",
                    idleSeconds,
                    Stats.mean(after),
                    Stats.max(after));
            if (rssIdle.length > 0 && rssDuring.length > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "   enforcer resident memory (RSS): idle max %.0f MiB, " + "during max %.0f MiB%n",
                        Stats.max(rssIdle),
                        Stats.max(rssDuring));
            }
            System.out.printf(
                    Locale.ROOT,
                    "   heap max during / idle max (before and after) = %.2f (one object is " + "%d MiB)%n",
                    ratio,
                    size >> 20);
            if (probe.failures() > 0) {
                System.out.println(
                        "   note: " + probe.failures() + " heap samples failed (the enforcer did not answer)");
            }
            // the deletions are booked: every byte given back, nothing left reserved
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (removed(ctx, prefix) < count && System.nanoTime() < deadline) {
                Thread.sleep(100); // polling period, bounded by the deadline
            }
            long left = ctx.jdbc.sql("""
                            SELECT coalesce(sum(bytes_used + bytes_reserved), 0) FROM accounts
                             WHERE starts_with(user_id, :p)""").param("p", prefix).query(Long.class).single();
            long removed = removed(ctx, prefix);
            if (removed != count || left != 0) {
                System.out.printf(
                        Locale.ROOT,
                        "   CHECK FAILED: %d of %d deletions booked, %d bytes still counted%n",
                        removed,
                        count,
                        left);
                ok = false;
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "   checks passed: each accepted with its real size and promoted "
                                + "(copy of %d bytes), its deletion booked, every byte given back%n",
                        size);
            }
            ctx.result("big.count", count);
            ctx.result("big.sizeMiB", size >> 20);
            ctx.result("big.heapIdleMax", Stats.max(idle));
            ctx.result("big.heapIdleBothMax", idleMax);
            ctx.result("big.heapIdleMean", Stats.mean(idle));
            ctx.result("big.heapDuringMax", Stats.max(during));
            ctx.result("big.heapDuringMean", Stats.mean(during));
            ctx.result("big.heapAfterMax", Stats.max(after));
            ctx.result("big.rssIdleMax", Stats.max(rssIdle));
            ctx.result("big.rssDuringMax", Stats.max(rssDuring));
            ctx.result("big.ratio", ratio);
            ctx.result("big.latencyMaxMs", Stats.max(latency));
            ctx.result("big.ok", ok);
            return ok;
        }
    }

    private static long removed(BenchContext ctx, String userPrefix) {
        return ctx.jdbc
                .sql("SELECT count(*) FROM uploads WHERE starts_with(user_id, :p) AND status = 'REMOVED'")
                .param("p", userPrefix)
                .query(Long.class)
                .single();
    }

    private static double[] mib(double[] bytes) {
        return Arrays.stream(bytes).map(b -> b / 1048576.0).toArray();
    }
}
