package io.uploadguard.benchmarks.enforcer;

import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Uploads signed exactly as the signer signs them (reserve in the ledger, presign with the SDK,
 * PUT with every signed header), the verdicts read back from the ledger, and the books checked.
 */
final class Uploads {

    private Uploads() {}

    /** One signed upload and what its verdict must be. */
    record Signed(
            int index, String user, String key, URI url, Map<String, String> headers, long size, boolean honest) {}

    static Signed sign(
            BenchContext ctx, int index, String user, String profile, String contentType, long size, boolean honest) {
        UUID uploadId = UUID.randomUUID();
        String key = ctx.layout.newIncomingKey(user, contentType);
        var presigned = ctx.presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                .putObjectRequest(PutObjectRequest.builder()
                        .bucket(ctx.bucket())
                        .key(key)
                        .contentType(contentType)
                        .contentLength(size)
                        .metadata(Map.of("user-id", user, "upload-id", uploadId.toString()))
                        .ifNoneMatch("*")
                        .build()));
        var outcome = ctx.ledger.reserve(
                new ReservationRequest(
                        uploadId,
                        user,
                        profile,
                        ctx.bucket(),
                        key,
                        contentType,
                        size,
                        null,
                        null,
                        presigned.expiration()),
                BenchContext.UNLIMITED,
                Instant.now());
        if (!(outcome instanceof ReserveOutcome.Reserved)) {
            throw new IllegalStateException("reservation refused: " + outcome);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        presigned.signedHeaders().forEach((name, values) -> {
            // the HTTP client sets these two itself (the exact length is still signed)
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new Signed(index, user, key, URI.create(presigned.url().toString()), headers, size, honest);
    }

    static void put(BenchContext ctx, Signed signed, byte[] body) throws IOException, InterruptedException {
        put(ctx, signed, HttpRequest.BodyPublishers.ofByteArray(body), Duration.ofSeconds(60));
    }

    /** A PUT whose body is generated as it is sent, with its exact length declared (no chunking). */
    static void putStreaming(BenchContext ctx, Signed signed, Supplier<InputStream> body)
            throws IOException, InterruptedException {
        put(
                ctx,
                signed,
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), signed.size()),
                Duration.ofMinutes(5));
    }

    private static void put(BenchContext ctx, Signed signed, HttpRequest.BodyPublisher body, Duration timeout)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(signed.url()).timeout(timeout).PUT(body);
        signed.headers().forEach(request::header);
        HttpResponse<String> response = ctx.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "PUT " + signed.key() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A booked verdict: the row left RESERVED and has its settled_at. */
    record Verdict(String status, Instant settledAt, Long realSize, List<String> reasons, String action) {}

    /** Booked verdicts of the uploads of the users whose id starts with {@code userPrefix}, by incoming key. */
    static Map<String, Verdict> verdicts(BenchContext ctx, String userPrefix) {
        Map<String, Verdict> out = new HashMap<>();
        ctx.jdbc.sql("""
                        SELECT object_key, status, settled_at, real_size, reasons, action FROM uploads
                         WHERE starts_with(user_id, :prefix) AND settled_at IS NOT NULL
                           AND status IN ('ACCEPTED', 'REJECTED')""").param("prefix", userPrefix).query(rs -> {
            java.sql.Array reasons = rs.getArray("reasons");
            long realSize = rs.getLong("real_size");
            out.put(
                    rs.getString("object_key"),
                    new Verdict(
                            rs.getString("status"),
                            rs.getTimestamp("settled_at").toInstant(),
                            rs.wasNull() ? null : realSize,
                            reasons == null ? List.of() : List.of((String[]) reasons.getArray()),
                            rs.getString("action")));
        });
        return out;
    }

    /**
     * Polls the ledger every 100 ms until every upload has its verdict or {@code timeout} passes.
     * Returns the verdicts found; {@code observedAt[0]} is when the last one was seen.
     */
    static Map<String, Verdict> awaitVerdicts(
            BenchContext ctx, String userPrefix, int expected, Duration timeout, Instant[] observedAt)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Verdict> found = verdicts(ctx, userPrefix);
        while (found.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling period of the ledger, bounded by the deadline
            found = verdicts(ctx, userPrefix);
        }
        if (observedAt != null) {
            observedAt[0] = Instant.now();
        }
        return found;
    }

    /**
     * Checks every upload's verdict and the books of its users: each honest upload accepted with
     * its real size and promoted, each lie rejected (TYPE_MISMATCH) and quarantined; per user,
     * bytes and objects used equal the sum of accepted real sizes and their count, nothing left
     * reserved, one violation per rejection; in S3 nothing left under incoming/, the accepted
     * objects under served/ and the rejected ones under quarantine/. Prints what is wrong.
     */
    static boolean verify(BenchContext ctx, String userPrefix, List<Signed> uploads, Map<String, Verdict> verdicts) {
        boolean ok = true;
        Map<String, long[]> expected = new HashMap<>(); // user -> {accepted, acceptedBytes, rejected}
        for (Signed s : uploads) {
            long[] e = expected.computeIfAbsent(s.user(), u -> new long[3]);
            Verdict v = verdicts.get(s.key());
            if (v == null) {
                System.out.println("   CHECK FAILED: no verdict booked for " + s.key());
                ok = false;
                continue;
            }
            if (s.honest()) {
                e[0]++;
                e[1] += s.size();
                if (!v.status().equals("ACCEPTED") || v.realSize() == null || v.realSize() != s.size()) {
                    System.out.println("   CHECK FAILED: honest upload " + s.key() + " booked as " + v);
                    ok = false;
                }
            } else {
                e[2]++;
                if (!v.status().equals("REJECTED")
                        || !v.reasons().contains("TYPE_MISMATCH")
                        || !"QUARANTINED".equals(v.action())) {
                    System.out.println("   CHECK FAILED: HTML declared as PNG " + s.key() + " booked as " + v);
                    ok = false;
                }
            }
        }
        var accounts = ctx.jdbc.sql("""
                        SELECT user_id, bytes_used, objects_used, bytes_reserved, objects_reserved, violations
                          FROM accounts WHERE starts_with(user_id, :prefix)""").param("prefix", userPrefix).query().listOfRows();
        if (accounts.size() != expected.size()) {
            System.out.println("   CHECK FAILED: " + accounts.size() + " accounts for " + expected.size() + " users");
            ok = false;
        }
        long acceptedBytes = 0;
        for (Map<String, Object> a : accounts) {
            String user = (String) a.get("user_id");
            long[] e = expected.getOrDefault(user, new long[3]);
            acceptedBytes += e[1];
            long bytesUsed = ((Number) a.get("bytes_used")).longValue();
            long objectsUsed = ((Number) a.get("objects_used")).longValue();
            long bytesReserved = ((Number) a.get("bytes_reserved")).longValue();
            long objectsReserved = ((Number) a.get("objects_reserved")).longValue();
            long violations = ((Number) a.get("violations")).longValue();
            if (bytesUsed != e[1]
                    || objectsUsed != e[0]
                    || bytesReserved != 0
                    || objectsReserved != 0
                    || violations != e[2]) {
                System.out.printf(
                        Locale.ROOT,
                        "   CHECK FAILED: books of %s: used %d B / %d objects, reserved %d B / "
                                + "%d objects, %d violations; expected %d B / %d objects, nothing reserved, "
                                + "%d violations%n",
                        user,
                        bytesUsed,
                        objectsUsed,
                        bytesReserved,
                        objectsReserved,
                        violations,
                        e[1],
                        e[0],
                        e[2]);
                ok = false;
            }
        }
        long accepted = expected.values().stream().mapToLong(e -> e[0]).sum();
        long rejected = expected.values().stream().mapToLong(e -> e[2]).sum();
        long served = 0;
        long quarantined = 0;
        long incoming = 0;
        KeyLayout layout = ctx.layout;
        for (String user : expected.keySet()) {
            String segment = KeyLayout.userSegment(user) + "/";
            served += count(ctx, layout.servedPrefix() + segment);
            quarantined += count(ctx, layout.quarantinePrefix() + segment);
            incoming += count(ctx, layout.incomingPrefix() + segment);
        }
        if (served != accepted || quarantined != rejected || incoming != 0) {
            System.out.printf(
                    Locale.ROOT,
                    "   CHECK FAILED: in S3 %d served, %d quarantined, %d still incoming; " + "expected %d, %d, 0%n",
                    served,
                    quarantined,
                    incoming,
                    accepted,
                    rejected);
            ok = false;
        }
        System.out.printf(
                Locale.ROOT,
                "   checks %s: %d verdicts for %d uploads (%d accepted, %d rejected), books of "
                        + "%d users add up (%d B used = sum of accepted real sizes, nothing reserved), S3: %d served, "
                        + "%d quarantined, %d left incoming%n",
                ok ? "passed" : "FAILED",
                verdicts.size(),
                uploads.size(),
                accepted,
                rejected,
                accounts.size(),
                acceptedBytes,
                served,
                quarantined,
                incoming);
        return ok;
    }

    private static long count(BenchContext ctx, String prefix) {
        long n = 0;
        for (var page :
                ctx.s3.listObjectsV2Paginator(r -> r.bucket(ctx.bucket()).prefix(prefix))) {
            n += page.keyCount();
        }
        return n;
    }
}
