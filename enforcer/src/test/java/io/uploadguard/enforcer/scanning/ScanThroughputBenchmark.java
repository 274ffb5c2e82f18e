package io.uploadguard.enforcer.scanning;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.sandbox.client.ClamdServer;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Scan throughput: {@link ClamdScanner} (S3 GET streamed to clamd) against {@code clamdscan
 * --stream} of the same files from local disk, and a plain S3 GET of the same objects, in one run
 * against one clamd. Not part of the test suite (the name does not end in Test); run by
 * {@code bench/scan-load.sh}, which sets {@code -Duploadguard.bench.scan=true}.
 */
@Tag("integration")
class ScanThroughputBenchmark {

    record Size(String label, int bytes, int count) {}

    private static final List<Size> SIZES = List.of(
            new Size("10 KiB", 10 * 1024, Integer.getInteger("scan.bench.small", 300)),
            new Size("1 MiB", 1024 * 1024, Integer.getInteger("scan.bench.medium", 50)),
            new Size("100 MiB", 100 * 1024 * 1024, Integer.getInteger("scan.bench.large", 3)));

    @Test
    void scanThroughput() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("uploadguard.bench.scan"), "run by bench/scan-load.sh");
        Assumptions.assumeTrue(ClamdServer.unavailableReason().isEmpty(), "clamd is not installed");
        Path clamdscan = Path.of("/usr/bin/clamdscan");
        Assumptions.assumeTrue(Files.isExecutable(clamdscan), "clamdscan is not installed");
        SandboxEndpoints sandbox = SandboxProcess.shared();
        Path work = Files.createTempDirectory("scan-bench");
        try (ClamdServer clamd = ClamdServer.start(DataSize.ofMegabytes(200).toBytes());
                S3Client s3 = S3Client.builder()
                        .endpointOverride(URI.create(sandbox.s3Endpoint()))
                        .region(Region.of(sandbox.region()))
                        .forcePathStyle(true)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(sandbox.accessKey(), sandbox.secretKey())))
                        .build()) {
            var settings = new ScannerProperties.Clamd(
                    clamd.host(),
                    clamd.port(),
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(2),
                    DataSize.ofMegabytes(200));
            var scanner = new ClamdScanner(s3, new ClamdClient(settings), settings);
            var rows = new ArrayList<String>();
            for (Size size : SIZES) {
                List<Path> files = files(work, size);
                List<ScanTarget> targets = upload(s3, sandbox.bucket(), files, size);
                scanner.scan(targets.get(0)); // warm-up: connections, JIT, clamd's first scan
                long scanned = time(
                        () -> targets.forEach(t -> assertThat(scanner.scan(t)).isInstanceOf(ScanResult.Clean.class)));
                long got = time(() -> targets.forEach(t -> drain(s3, t)));
                long cli = time(() -> clamdscan(clamdscan, clamd.clamdscanConfig(), files));
                var client = new ClamdClient(settings);
                long local = time(
                        () -> files.forEach(f -> assertThat(fromFile(client, f)).isInstanceOf(ScanResult.Clean.class)));
                rows.add(row(size, "ClamdScanner (S3 GET -> clamd)", scanned));
                rows.add(row(size, "clamdscan --stream (local file)", cli));
                rows.add(row(size, "ClamdClient (local file -> clamd, no S3)", local));
                rows.add(row(size, "S3 GET only (drained)", got));
                files.forEach(f -> f.toFile().delete());
            }
            System.out.println("\n| size | path | objects | MB/s | objects/s | ms per object |");
            System.out.println("|---|---|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
        } finally {
            work.toFile().delete();
        }
    }

    private static List<Path> files(Path dir, Size size) throws IOException {
        var random = new Random(size.bytes());
        var files = new ArrayList<Path>();
        byte[] content = new byte[size.bytes()];
        for (int i = 0; i < size.count(); i++) {
            random.nextBytes(content);
            files.add(Files.write(dir.resolve(size.bytes() + "-" + i + ".bin"), content));
        }
        return files;
    }

    private static List<ScanTarget> upload(S3Client s3, String bucket, List<Path> files, Size size) {
        return files.stream()
                .map(file -> {
                    String key = "scanner-bench/" + UUID.randomUUID();
                    String eTag = s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file))
                            .eTag();
                    return new ScanTarget(bucket, key, size.bytes(), eTag);
                })
                .toList();
    }

    private static ScanResult fromFile(ClamdClient client, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return client.instream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(S3Client s3, ScanTarget target) {
        try (InputStream in = s3.getObject(r -> r.bucket(target.bucket()).key(target.key()))) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void clamdscan(Path clamdscan, Path config, List<Path> files) {
        var command =
                new ArrayList<>(List.of(clamdscan.toString(), "--config-file=" + config, "--stream", "--no-summary"));
        files.forEach(f -> command.add(f.toString()));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static String row(Size size, String path, long nanos) {
        double seconds = nanos / 1e9;
        double megabytes = (double) size.bytes() * size.count() / 1e6;
        return String.format(
                "| %s | %s | %d | %.1f | %.1f | %.2f |",
                size.label(),
                path,
                size.count(),
                megabytes / seconds,
                size.count() / seconds,
                seconds * 1000 / size.count());
    }
}
