package io.uploadguard.benchmarks.multipart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The file through UploadGuard, as a browser would send it: the multipart grant, the other pages of
 * part URLs, plain HTTP PUTs of the presigned URLs ({@code java.net.http}, the way {@code fetch}
 * sends them), then completion by the signer.
 */
final class SignerMultipartRun {

    /** The JDK client sets these itself and refuses to take them from us (so does a browser). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");

    private final HttpClient http;
    private final SignerApi api;

    SignerMultipartRun(HttpClient http, SignerApi api) {
        this.http = http;
        this.api = api;
    }

    /** Uploads the file in parts; returns the key the signer chose. */
    String upload(PartedFile file, int parallel, String profile) {
        SignerApi.Grant grant = api.create(profile, "application/octet-stream", file.size(), "bench.bin");
        if (grant.partSize() != file.partSize() || grant.partCount() != file.partCount()) {
            throw new IllegalStateException("the signer planned " + grant.partCount() + " parts of "
                    + grant.partSize() + " bytes; the run expects " + file.partCount() + " of " + file.partSize()
                    + ": set the profile's part-size to the run's");
        }
        Map<Integer, SignerApi.PartUrl> urls = new HashMap<>();
        grant.parts().forEach(p -> urls.put(p.partNumber(), p));
        int page = grant.parts().size();
        for (Integer next = grant.nextPartNumber(); next != null && next <= grant.partCount(); next += page) {
            api.parts(grant.uploadId(), numbers(next, Math.min(next + page - 1, grant.partCount())))
                    .forEach(p -> urls.put(p.partNumber(), p));
        }
        ParallelParts.send(file.partCount(), parallel, number -> put(urls.get(number), file.read(number)));
        api.complete(grant.uploadId());
        return grant.key();
    }

    /**
     * Mints every part URL of one open upload again, page by page, {@code rounds} times; the upload is
     * aborted at the end.
     *
     * @return the part URLs minted and the signer's CPU ticks (user + system, from /proc) meanwhile
     */
    long[] mintCpu(PartedFile file, String profile, int warmupRounds, int rounds, long signerPid) {
        SignerApi.Grant grant = api.create(profile, "application/octet-stream", file.size(), "mint.bin");
        int page = Math.max(1, grant.parts().size());
        try {
            mint(grant, page, warmupRounds);
            long before = ticks(signerPid);
            long urls = mint(grant, page, rounds);
            return new long[] {urls, ticks(signerPid) - before};
        } finally {
            api.abort(grant.uploadId());
        }
    }

    private long mint(SignerApi.Grant grant, int page, int rounds) {
        long urls = 0;
        for (int round = 0; round < rounds; round++) {
            for (int first = 1; first <= grant.partCount(); first += page) {
                urls += api.parts(grant.uploadId(), numbers(first, Math.min(first + page - 1, grant.partCount())))
                        .size();
            }
        }
        return urls;
    }

    private static List<Integer> numbers(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().toList();
    }

    private Integer put(SignerApi.PartUrl part, byte[] body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(part.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        part.headers().forEach((name, value) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                request.header(name, value);
            }
        });
        try {
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 200) {
                throw new IllegalStateException("part " + part.partNumber() + " refused by S3 with " + status);
            }
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** utime + stime of the whole process (every thread), in clock ticks. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
