package io.uploadguard.benchmarks.enforcer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Phase A: the raw rate of the enforcer's S3 calls. Per object, exactly what the enforcer does to
 * an accepted upload: HEAD, ranged GET of the first 8 KiB (If-Match the ETag), CopyObject with
 * REPLACE metadata to another key, DeleteObject of the original; no SQS, no ledger, no type
 * detection. Keys live under {@code bench-raw/}, which sends no S3 events, so the sandbox does only
 * the S3 work. Run once from one thread and once from {@code threads} threads over fresh objects.
 */
final class RawS3Loop {

    private RawS3Loop() {}

    static boolean run(Map<String, String> opts) throws Exception {
        int n = Opts.integer(opts, "n", 300);
        int warmup = Opts.integer(opts, "warmup", 100);
        int threads = Opts.integer(opts, "threads", 8);
        // the enforcer's concurrency: with S3 latency the fair baseline makes as many calls at once
        int sameThreads = Opts.integer(opts, "same-threads", threads);
        CpuMeter cpu = new CpuMeter(opts.get("pids"));
        try (BenchContext ctx = BenchContext.open(opts, 2)) {
            String prefix = "bench-raw/" + UUID.randomUUID() + "/";
            int total = warmup + 4 * n;
            long t0 = System.nanoTime();
            // presigned PUTs sent by the JDK's HTTP client: the SDK's own PutObject sends "Expect: 100-continue",
            // which S3Proxy answers slowly (PITFALLS), and this setup is not what is measured
            parallel(8, total, i -> {
                int size = Fixtures.smallSize(i);
                var presigned = ctx.presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                        .putObjectRequest(r -> r.bucket(ctx.bucket())
                                .key(prefix + "src/" + i + ".png")
                                .contentType("image/png")
                                .contentLength((long) size)
                                .metadata(Map.of(
                                        "user-id",
                                        "raw-" + (i % 50),
                                        "upload-id",
                                        UUID.randomUUID().toString()))));
                var request = HttpRequest.newBuilder(URI.create(presigned.url().toString()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(Fixtures.png(size)));
                presigned.signedHeaders().forEach((name, values) -> {
                    if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                        request.header(name, String.join(",", values));
                    }
                });
                int status = ctx.http
                        .send(request.build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status != 200) {
                    throw new IllegalStateException("fixture PUT answered " + status);
                }
            });
            System.out.printf(
                    Locale.ROOT,
                    "raw S3 loop: %d fixture objects of about 10 KB put in %.1f s%n",
                    total,
                    (System.nanoTime() - t0) / 1e9);

            loop(ctx, prefix, 0, warmup, threads, true);
            System.out.printf(Locale.ROOT, "raw S3 loop: warm-up of %d objects done%n", warmup);

            // the concurrent loops first, while the JIT compilers of both JVMs are as warm for one as for the other
            double multi = measured(ctx, cpu, prefix, warmup, n, threads, "raw.multi", true);
            // what one call less would give: the ranged GET answers with the size, type, metadata and ETag too
            measured(ctx, cpu, prefix, warmup + n, n, threads, "raw.nohead", false);
            double single = measured(ctx, cpu, prefix, warmup + 2 * n, n, 1, "raw.single", true);
            double same = sameThreads == threads
                    ? multi
                    : measured(ctx, cpu, prefix, warmup + 3 * n, n, sameThreads, "raw.same", true);
            ctx.result("raw.same.threads", sameThreads);
            ctx.result("raw.same.best", same);
            boolean multiBetter = multi >= single;
            ctx.result("raw.threads", threads);
            ctx.result("raw.best", Math.max(single, multi));
            ctx.result("raw.best.which", multiBetter ? threads + " threads" : "1 thread");
            System.out.printf(
                    Locale.ROOT,
                    "raw S3 loop: baseline = %.1f objects/s (%s, the better of the two)%n",
                    Math.max(single, multi),
                    multiBetter ? threads + " threads" : "1 thread");
            return true;
        }
    }

    private static double measured(
            BenchContext ctx, CpuMeter cpu, String prefix, int from, int n, int threads, String name, boolean head)
            throws Exception {
        CpuMeter.Snapshot before = cpu.snapshot();
        long start = System.nanoTime();
        loop(ctx, prefix, from, n, threads, head);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Snapshot after = cpu.snapshot();
        double rate = n / seconds;
        System.out.printf(
                Locale.ROOT,
                "raw S3 loop, %d thread%s: %d objects (%s) in %.2f s = %.1f objects/s%n",
                threads,
                threads == 1 ? "" : "s",
                n,
                head ? "HEAD + GET 8 KiB + copy + delete" : "no HEAD: GET 8 KiB + copy + delete, not the baseline",
                seconds,
                rate);
        String cpuLine = CpuMeter.describe(before, after, n, "object");
        System.out.println("   cpu: " + cpuLine);
        ctx.result(name + ".ops", rate);
        ctx.result(name + ".cpu", cpuLine);
        ctx.result(name + ".harnessMs", CpuMeter.msPer(before, after, "harness", n));
        ctx.result(name + ".otherPct", 100 * CpuMeter.otherShare(before, after));
        ctx.result(name + ".benchPct", 100 * CpuMeter.benchShare(before, after));
        return rate;
    }

    /**
     * The enforcer's four calls on objects [from, from + n); without {@code head}, the size, type,
     * metadata and ETag come from the ranged GET's answer instead (Content-Range carries the size).
     */
    private static void loop(BenchContext ctx, String prefix, int from, int n, int threads, boolean head)
            throws Exception {
        String bucket = ctx.bucket();
        parallel(threads, n, j -> {
            int i = from + j;
            String key = prefix + "src/" + i + ".png";
            String contentType;
            Map<String, String> metadata;
            if (head) {
                HeadObjectResponse h = ctx.s3.headObject(r -> r.bucket(bucket).key(key));
                long last = Math.min(h.contentLength(), 8192) - 1;
                ResponseBytes<GetObjectResponse> bytes = ctx.s3.getObjectAsBytes(
                        r -> r.bucket(bucket).key(key).range("bytes=0-" + last).ifMatch(h.eTag()));
                check(key, bytes.asByteArray().length, last + 1);
                contentType = h.contentType();
                metadata = new HashMap<>(h.metadata());
            } else {
                ResponseBytes<GetObjectResponse> bytes =
                        ctx.s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).range("bytes=0-8191"));
                String range = bytes.response().contentRange(); // bytes 0-8191/<size>
                long size = Long.parseLong(range.substring(range.indexOf('/') + 1));
                check(key, bytes.asByteArray().length, Math.min(size, 8192));
                contentType = bytes.response().contentType();
                metadata = new HashMap<>(bytes.response().metadata());
            }
            metadata.put("uploadguard-verdict", "accepted");
            metadata.put("uploadguard-detected-type", "image/png");
            ctx.s3.copyObject(r -> r.sourceBucket(bucket)
                    .sourceKey(key)
                    .destinationBucket(bucket)
                    .destinationKey(prefix + "dst/" + i + ".png")
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType(contentType)
                    .metadata(metadata));
            ctx.s3.deleteObject(r -> r.bucket(bucket).key(key));
        });
    }

    private static void check(String key, long got, long expected) {
        if (got != expected) {
            throw new IllegalStateException("ranged GET of " + key + " returned " + got + " bytes, not " + expected);
        }
    }

    interface Task {
        void run(int index) throws Exception;
    }

    /** Runs task(0..count-1) on {@code threads} threads, each taking the next index; rethrows the first failure. */
    static void parallel(int threads, int count, Task task) throws Exception {
        if (threads == 1) {
            for (int i = 0; i < count; i++) {
                task.run(i);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = IntStream.range(0, threads)
                    .<Future<?>>mapToObj(t -> pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            task.run(i);
                        }
                        return null;
                    }))
                    .toList();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
