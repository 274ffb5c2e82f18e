package io.uploadguard.benchmarks.multipart;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The harness of {@code bench/multipart-load.sh}; one step per call, its figures appended to the
 * results file as {@code name=value} lines and printed.
 *
 * <p>Usage: {@code MultipartLoad <mode> name=value...} with the modes
 * <ul>
 *   <li>{@code sdk endpoints= file= part-size= parallel= results= label=}: a plain SDK multipart upload;
 *   <li>{@code signer} with the same and {@code signer= token-file= profile=}: through UploadGuard;
 *   <li>{@code mint endpoints= file= part-size= signer= token-file= profile= signer-pid= warmup= rounds= results=}:
 *       the signer's CPU per part URL minted.
 * </ul>
 */
public final class MultipartLoad {

    private MultipartLoad() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: MultipartLoad sdk|signer|mint name=value...");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            opts.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        SandboxEndpoints endpoints = SandboxEndpoints.readFrom(Path.of(opts.get("endpoints")));
        PartedFile file = PartedFile.of(Path.of(opts.get("file")), Long.parseLong(opts.get("part-size")));
        int parallel = Integer.parseInt(opts.getOrDefault("parallel", "4"));
        Path results = Path.of(opts.get("results"));
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (SdkMultipartRun sdk = new SdkMultipartRun(endpoints, parallel)) {
            switch (args[0]) {
                case "sdk" -> timed(opts.get("label"), file, parallel, results, sdk, () -> sdk.upload(file, parallel));
                case "signer" -> {
                    var run = new SignerMultipartRun(http, api(http, opts));
                    String profile = opts.get("profile");
                    timed(opts.get("label"), file, parallel, results, sdk, () -> run.upload(file, parallel, profile));
                }
                case "mint" -> mint(file, opts, new SignerMultipartRun(http, api(http, opts)), results);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    private static SignerApi api(HttpClient http, Map<String, String> opts) throws IOException {
        String token =
                Files.readAllLines(Path.of(opts.get("token-file"))).get(0).strip();
        return new SignerApi(http, URI.create(opts.get("signer")), token);
    }

    private static void timed(
            String label,
            PartedFile file,
            int parallel,
            Path results,
            SdkMultipartRun s3,
            java.util.function.Supplier<String> upload) {
        long start = System.nanoTime();
        String key = upload.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long stored = s3.storedSize(key);
        if (stored != file.size()) {
            throw new IllegalStateException("stored " + stored + " bytes, not " + file.size());
        }
        s3.delete(key); // the next run needs the room
        double mbPerSecond = file.size() / 1e6 / seconds;
        System.out.printf(
                Locale.ROOT,
                "%s: %.1f MB/s (%d bytes in %.2f s, %d parts of %d bytes, %d at a time)%n",
                label,
                mbPerSecond,
                file.size(),
                seconds,
                file.partCount(),
                file.partSize(),
                parallel);
        append(results, String.format(Locale.ROOT, "multipart.%s.mbps=%.1f%n", label, mbPerSecond));
    }

    private static void mint(PartedFile file, Map<String, String> opts, SignerMultipartRun run, Path results) {
        long[] minted = run.mintCpu(
                file,
                opts.get("profile"),
                Integer.parseInt(opts.getOrDefault("warmup", "20")),
                Integer.parseInt(opts.getOrDefault("rounds", "20")),
                Long.parseLong(opts.get("signer-pid")));
        long ticksPerSecond = Long.parseLong(opts.getOrDefault("clk-tck", "100"));
        double microsPerUrl = minted[1] * 1e6 / ticksPerSecond / minted[0];
        System.out.printf(
                Locale.ROOT,
                "signer CPU per part URL: %.1f us (%d ticks over %d URLs minted by POST /uploads/{id}/parts)%n",
                microsPerUrl,
                minted[1],
                minted[0]);
        append(results, String.format(Locale.ROOT, "multipart.cpuPerPartUrlMicros=%.1f%n", microsPerUrl));
    }

    private static void append(Path results, String line) {
        try {
            Files.writeString(results, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
