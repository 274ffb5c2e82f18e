package io.uploadguard.signer;

import static io.uploadguard.signer.SignAndUploadTest.headers;
import static io.uploadguard.signer.SignAndUploadTest.putTo;
import static io.uploadguard.signer.SignAndUploadTest.s3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.ledger.policy.KeyLayout;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;

/**
 * Multipart uploads through the signer, parts PUT over plain HTTP to the sandbox's S3 with exactly
 * the returned headers, as a browser does. The built-in {@code video} profile: above 32MB, parts of
 * 8MB; the tests' pages hold 4 part URLs and a user may mint 8 a minute.
 */
@Tag("integration")
class MultipartUploadTest extends SignerIntegrationTest {

    private static final int MB = 1024 * 1024;
    private static final long PART = 8L * MB;
    /** Five parts: four of 8MB and a last one of one byte. */
    private static final long SIZE = 4 * PART + 1;

    @Test
    void signUploadListAndCompleteGivesTheObjectWithItsOwner() {
        String user = newUser();
        byte[] bytes = bytes(SIZE);

        Reply signed = signVideo(user, SIZE);

        assertThat(signed.status()).isEqualTo(201);
        JsonNode grant = signed.body();
        String uploadId = grant.get("uploadId").asString();
        assertThat(grant.get("method").asString()).isEqualTo("MULTIPART");
        assertThat(grant.get("partSize").asLong()).isEqualTo(PART);
        assertThat(grant.get("partCount").asInt()).isEqualTo(5);
        assertThat(grant.get("parts")).hasSize(4);
        assertThat(grant.get("nextPartNumber").asInt()).isEqualTo(5);
        assertThat(Instant.parse(grant.get("expiresAt").asString()))
                .isAfter(Instant.now().plusSeconds(23 * 3600));
        assertThat(Instant.parse(grant.get("partUrlsExpireAt").asString()))
                .isBefore(Instant.now().plusSeconds(301));
        assertThat(signed.raw().headers().firstValue("Location")).hasValue("/uploads/" + uploadId);
        assertThat(headers(grant.get("parts").get(0))).doesNotContainKeys("host", "Host", "content-length");
        assertThat(books(user).account()).containsEntry("bytes_reserved", SIZE);

        for (JsonNode part : grant.get("parts")) {
            assertThat(putPart(part, bytes).status()).isEqualTo(200);
        }
        Reply more = partUrls(user, uploadId, List.of(5));
        assertThat(more.status()).isEqualTo(200);
        assertThat(more.body().get("parts")).hasSize(1);
        assertThat(putPart(more.body().get("parts").get(0), bytes).status()).isEqualTo(200);

        Reply listed = get(token(user), "/uploads/" + uploadId + "/parts");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("state").asString()).isEqualTo("OPEN");
        assertThat(listed.body().get("parts")).hasSize(5);
        assertThat(listed.body().get("parts").get(4).get("size").asLong()).isEqualTo(1);

        Reply completed = complete(user, uploadId);
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.body().get("state").asString()).isEqualTo("COMPLETED");
        assertThat(completed.body().get("key").asString())
                .isEqualTo(grant.get("key").asString());
        assertThat(complete(user, uploadId).status()).as("repeat-safe").isEqualTo(200);
        assertThat(get(token(user), "/uploads/" + uploadId + "/parts")
                        .body()
                        .get("state")
                        .asString())
                .isEqualTo("COMPLETED");
        assertThat(get(token(user), "/uploads/" + uploadId).status()).isEqualTo(200);

        try (S3Client s3 = s3()) {
            var head = s3.headObject(
                    r -> r.bucket(sandbox().bucket()).key(grant.get("key").asString()));
            assertThat(head.contentLength()).isEqualTo(SIZE);
            assertThat(head.contentType()).isEqualTo("video/mp4");
            assertThat(head.metadata()).containsEntry("user-id", user).containsEntry("upload-id", uploadId);

            // a part replayed after completion: S3 no longer knows the upload, the object stays
            Reply replay = putPart(grant.get("parts").get(0), new byte[(int) PART]);
            // S3 answers 404 NoSuchUpload; S3Proxy 4.1.0 takes the part into a stub nobody completes
            assertThat(replay.status())
                    .as("sandbox gap: S3 refuses a part of a completed upload with 404 NoSuchUpload")
                    .isIn(200, 404);
            var after = s3.headObject(
                    r -> r.bucket(sandbox().bucket()).key(grant.get("key").asString()));
            assertThat(after.eTag()).isEqualTo(head.eTag());
            assertThat(after.contentLength()).isEqualTo(SIZE);
        }
        assertThat(delete(user, uploadId).body().get("error").asString()).isEqualTo("upload_not_open");
        assertThat(books(user).account()).as("held until the enforcer books it").containsEntry("bytes_reserved", SIZE);
    }

    @Test
    void aPartUrlUsedWithOneByteMoreIsRefusedByS3() {
        String user = newUser();
        JsonNode grant = signVideo(user, SIZE).body();
        // the last part, of one byte: S3Proxy refuses a longer 8MB part before reading it all and
        // closes the connection mid-answer, which the HTTP client reports as a broken stream
        JsonNode last = partUrls(user, grant.get("uploadId").asString(), List.of(5))
                .body()
                .get("parts")
                .get(0);

        Reply longer = putTo(URI.create(last.get("url").asString()), headers(last), new byte[2]);
        Reply shorter = putTo(URI.create(last.get("url").asString()), headers(last), new byte[0]);

        assertThat(longer.status()).isIn(400, 403);
        assertThat(shorter.status()).isIn(400, 403);
        Reply listed = get(token(user), "/uploads/" + grant.get("uploadId").asString() + "/parts");
        assertThat(listed.body().get("parts")).isEmpty();
    }

    @Test
    void completionWithAPartMissingOrOfAnotherSizeIsRefusedAndCompletesNothing() {
        String user = newUser();
        byte[] bytes = bytes(SIZE);
        JsonNode grant = signVideo(user, SIZE).body();
        String uploadId = grant.get("uploadId").asString();
        String key = grant.get("key").asString();
        for (JsonNode part : grant.get("parts")) {
            assertThat(putPart(part, bytes).status()).isEqualTo(200);
        }

        Reply missing = complete(user, uploadId);

        assertThat(missing.status()).isEqualTo(409);
        assertThat(missing.body().get("error").asString()).isEqualTo("parts_missing");
        assertThat(missing.body().get("message").asString()).contains("5");
        assertNoObject(key);

        // part 5 written by other means (credentials, not a signed URL) with another length
        try (S3Client s3 = s3()) {
            s3.uploadPart(
                    r -> r.bucket(sandbox().bucket())
                            .key(key)
                            .uploadId(s3UploadId(uploadId))
                            .partNumber(5),
                    RequestBody.fromBytes(new byte[2]));
        }
        Reply wrongSize = complete(user, uploadId);

        assertThat(wrongSize.status()).isEqualTo(409);
        assertThat(wrongSize.body().get("error").asString()).isEqualTo("part_size_mismatch");
        assertThat(wrongSize.body().get("message").asString()).contains("5");
        assertNoObject(key);
        assertThat(get(token(user), "/uploads/" + uploadId + "/parts")
                        .body()
                        .get("state")
                        .asString())
                .isEqualTo("OPEN");
    }

    @Test
    void aTotalOverTheQuotaIsRefusedAtSigningWithNoTrace() {
        String user = newUser();

        Reply refused = signVideo(user, 2L * 1024 * MB);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().get("error").asString()).isEqualTo("quota_exceeded");
        assertThat(books(user)).isEqualTo(new Books(Map.of(), 0));
        assertThat(jdbc.sql("select count(*) from multipart_uploads m join uploads u using (upload_id)"
                                + " where u.user_id = ?")
                        .param(user)
                        .query(Long.class)
                        .single())
                .isZero();
        String prefix = KeyLayout.DEFAULT.incomingPrefix() + KeyLayout.userSegment(user);
        try (S3Client s3 = s3()) {
            assertThat(s3.listMultipartUploads(r -> r.bucket(sandbox().bucket()).prefix(prefix))
                            .uploads())
                    .isEmpty();
        }
    }

    @Test
    void mintingPartUrlsIsRateLimitedPerUser() {
        String user = newUser();
        String uploadId = signVideo(user, SIZE).body().get("uploadId").asString();

        assertThat(partUrls(user, uploadId, List.of(1, 2, 3, 4)).status()).isEqualTo(200);
        assertThat(partUrls(user, uploadId, List.of(2, 3, 4, 5)).status()).isEqualTo(200);
        Reply limited = partUrls(user, uploadId, List.of(5));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().get("error").asString()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(
                        limited.raw().headers().firstValue("Retry-After").orElseThrow()))
                .isPositive();
        String other = newUser();
        String othersUpload = signVideo(other, SIZE).body().get("uploadId").asString();
        assertThat(partUrls(other, othersUpload, List.of(5)).status())
                .as("another user has a bucket of their own")
                .isEqualTo(200);
    }

    @Test
    void anotherUsersUploadIsNotFoundAndASinglePutIsNotMultipart() {
        String owner = newUser();
        String uploadId = signVideo(owner, SIZE).body().get("uploadId").asString();
        String stranger = newUser();

        List<Reply> replies = new ArrayList<>();
        replies.add(get(token(stranger), "/uploads/" + uploadId + "/parts"));
        replies.add(partUrls(stranger, uploadId, List.of(1)));
        replies.add(complete(stranger, uploadId));
        replies.add(delete(stranger, uploadId));
        replies.add(get(token(owner), "/uploads/" + UUID.randomUUID() + "/parts"));
        replies.add(complete(owner, "not-a-uuid"));

        assertThat(replies).allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.body().get("error").asString()).isEqualTo("not_found");
        });
        assertThat(get(token(owner), "/uploads/" + uploadId + "/parts").status())
                .as("the owner still can")
                .isEqualTo(200);
        String singlePut =
                sign(owner, "avatar", "image/png", 100).body().get("uploadId").asString();
        Reply notMultipart = delete(owner, singlePut);
        assertThat(notMultipart.status()).isEqualTo(409);
        assertThat(notMultipart.body().get("error").asString()).isEqualTo("not_multipart");
    }

    @Test
    void abortDeletesThePartsAndGivesTheReservationBackOnce() {
        String user = newUser();
        JsonNode grant = signVideo(user, SIZE).body();
        String uploadId = grant.get("uploadId").asString();
        assertThat(putPart(grant.get("parts").get(0), bytes(SIZE)).status()).isEqualTo(200);
        String s3UploadId = s3UploadId(uploadId);

        Reply aborted = delete(user, uploadId);

        assertThat(aborted.status()).isEqualTo(200);
        assertThat(aborted.body().get("state").asString()).isEqualTo("ABORTED");
        assertThat(books(user).account()).containsEntry("bytes_reserved", 0L).containsEntry("objects_reserved", 0L);
        assertThat(delete(user, uploadId).body().get("state").asString())
                .as("repeat-safe")
                .isEqualTo("ABORTED");
        assertThat(books(user).account()).containsEntry("bytes_reserved", 0L);
        assertThat(partUrls(user, uploadId, List.of(2)).body().get("error").asString())
                .isEqualTo("upload_not_open");
        assertThat(complete(user, uploadId).body().get("error").asString()).isEqualTo("upload_not_open");
        assertThat(get(token(user), "/uploads/" + uploadId + "/parts")
                        .body()
                        .get("state")
                        .asString())
                .isEqualTo("ABORTED");
        try (S3Client s3 = s3()) {
            // S3 answers NoSuchUpload; S3Proxy 4.1.0 lists an aborted upload as one without parts
            assertThat(partsLeft(s3, grant.get("key").asString(), s3UploadId)).isZero();
        }
    }

    @Test
    void completionNeverReplacesAnObjectAlreadyAtTheKey() {
        String user = newUser();
        byte[] bytes = bytes(SIZE);
        JsonNode grant = signVideo(user, SIZE).body();
        String uploadId = grant.get("uploadId").asString();
        String key = grant.get("key").asString();
        for (JsonNode part : grant.get("parts")) {
            assertThat(putPart(part, bytes).status()).isEqualTo(200);
        }
        JsonNode last = partUrls(user, uploadId, List.of(5)).body().get("parts").get(0);
        assertThat(putPart(last, bytes).status()).isEqualTo(200);
        try (S3Client s3 = s3()) {
            s3.putObject(r -> r.bucket(sandbox().bucket()).key(key), RequestBody.fromString("first"));
        }

        Reply completed = complete(user, uploadId);

        try (S3Client s3 = s3()) {
            long length =
                    s3.headObject(r -> r.bucket(sandbox().bucket()).key(key)).contentLength();
            assertThat(completed.status() == 409 ? length : -1)
                    .as("If-None-Match: * on CompleteMultipartUpload; status " + completed.status())
                    .isEqualTo(5);
        }
    }

    @Test
    void badPartNumbersAreRefused() {
        String user = newUser();
        String uploadId = signVideo(user, SIZE).body().get("uploadId").asString();

        assertThat(partUrls(user, uploadId, List.of(6)).body().get("error").asString())
                .isEqualTo("invalid_part_numbers");
        assertThat(partUrls(user, uploadId, List.of(1, 2, 3, 4, 5))
                        .body()
                        .get("error")
                        .asString())
                .isEqualTo("invalid_part_numbers");
        assertThat(partUrls(user, uploadId, List.of()).status()).isEqualTo(400);
        Reply checksumWithout = post(
                token(user),
                "/uploads/" + uploadId + "/parts",
                "{\"partNumbers\":[1],\"checksumsSha256\":{\"1\":\"" + "A".repeat(43) + "=\"}}");
        assertThat(checksumWithout.body().get("error").asString()).isEqualTo("invalid_checksum");
    }

    // ---- helpers

    private Reply signVideo(String user, long size) {
        return sign(user, "video", "video/mp4", size);
    }

    private Reply partUrls(String user, String uploadId, List<Integer> numbers) {
        return post(
                token(user),
                "/uploads/" + uploadId + "/parts",
                JSON.writeValueAsString(Map.of("partNumbers", numbers)));
    }

    private Reply complete(String user, String uploadId) {
        return post(token(user), "/uploads/" + uploadId + "/complete", "");
    }

    private Reply delete(String user, String uploadId) {
        return send(HttpRequest.newBuilder(uri("/uploads/" + uploadId))
                .header("Authorization", "Bearer " + token(user))
                .DELETE()
                .build());
    }

    private Reply post(String bearer, String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** PUTs the part's slice of {@code file}, as the page does, to the part's URL with its headers. */
    private static Reply putPart(JsonNode part, byte[] file) {
        int number = part.get("partNumber").asInt();
        int from = (int) ((number - 1) * PART);
        int to = (int) Math.min(file.length, from + PART);
        byte[] slice = java.util.Arrays.copyOfRange(file, from, to);
        return putTo(URI.create(part.get("url").asString()), headers(part), slice);
    }

    private static int partsLeft(S3Client s3, String key, String s3UploadId) {
        try {
            return s3.listParts(r -> r.bucket(sandbox().bucket()).key(key).uploadId(s3UploadId))
                    .parts()
                    .size();
        } catch (NoSuchUploadException e) {
            return 0;
        }
    }

    private String s3UploadId(String uploadId) {
        return jdbc.sql("select s3_upload_id from multipart_uploads where upload_id = ?::uuid")
                .param(uploadId)
                .query(String.class)
                .single();
    }

    private static void assertNoObject(String key) {
        try (S3Client s3 = s3()) {
            assertThatThrownBy(() ->
                            s3.headObject(r -> r.bucket(sandbox().bucket()).key(key)))
                    .isInstanceOfAny(NoSuchKeyException.class, S3Exception.class);
        }
    }

    private static byte[] bytes(long size) {
        byte[] bytes = new byte[(int) size];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }
}
