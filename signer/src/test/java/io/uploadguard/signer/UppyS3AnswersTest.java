package io.uploadguard.signer;

import static io.uploadguard.signer.SignAndUploadTest.headers;
import static io.uploadguard.signer.SignAndUploadTest.putTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Uppy's multipart requests answered in S3's XML shape ({@code /uploads/{id}/s3/*}, issue 19), as
 * {@code @uploadguard/client/uppy} routes them: create names the upload the adapter already has,
 * list-parts reads S3, complete completes through the signer's checks. Refusals stay JSON. The
 * Chromium test drives the same routes through Uppy itself.
 */
@Tag("integration")
class UppyS3AnswersTest extends SignerIntegrationTest {

    private static final int PART = 8 * 1024 * 1024;
    /** Above the video profile's threshold (32MB): four parts of 8MB (the tests' page) and one of 5 bytes. */
    private static final int SIZE = 4 * PART + 5;

    @Test
    void createListAndCompleteAnswerAsS3Would() {
        String user = newUser();
        JsonNode grant = sign(user, "video", "video/mp4", SIZE).body();
        String uploadId = grant.get("uploadId").asString();
        String key = grant.get("key").asString();

        Reply created = xml(user, "POST", "/uploads/" + uploadId + "/s3/create");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.raw().headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/xml");
        assertThat(created.raw().body())
                .contains("<InitiateMultipartUploadResult>")
                .contains("<UploadId>" + uploadId + "</UploadId>")
                .contains("<Key>" + key + "</Key>");

        byte[] file = new byte[SIZE];
        List<JsonNode> parts = new ArrayList<>();
        grant.get("parts").forEach(parts::add);
        send(HttpRequest.newBuilder(uri("/uploads/" + uploadId + "/parts"))
                        .header("Authorization", "Bearer " + token(user))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"partNumbers\":[5]}"))
                        .build())
                .body()
                .get("parts")
                .forEach(parts::add);
        for (JsonNode part : parts) {
            int from = (part.get("partNumber").asInt() - 1) * PART;
            byte[] slice = Arrays.copyOfRange(file, from, Math.min(SIZE, from + PART));
            assertThat(putTo(URI.create(part.get("url").asString()), headers(part), slice)
                            .status())
                    .isEqualTo(200);
            if (part.get("partNumber").asInt() == 2) {
                Reply listed = xml(user, "GET", "/uploads/" + uploadId + "/s3/parts");
                assertThat(listed.status()).isEqualTo(200);
                assertThat(listed.raw().body())
                        .startsWith("<?xml")
                        .contains("<ListPartsResult>")
                        .contains("<PartNumber>1</PartNumber>")
                        .contains("<PartNumber>2</PartNumber>")
                        .doesNotContain("<PartNumber>3</PartNumber>")
                        .contains("<ETag>")
                        .contains("<Size>" + PART + "</Size>");

                Reply early = xml(user, "POST", "/uploads/" + uploadId + "/s3/complete");
                assertThat(early.status()).isEqualTo(409);
                assertThat(early.body().get("error").asString()).isEqualTo("parts_missing");
            }
        }

        Reply completed = xml(user, "POST", "/uploads/" + uploadId + "/s3/complete");
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.raw().body())
                .contains("<CompleteMultipartUploadResult>")
                .contains("<Location>/uploads/" + uploadId + "</Location>")
                .contains("<Key>" + key + "</Key>");
        assertThat(get(token(user), "/uploads/" + uploadId + "/parts")
                        .body()
                        .get("state")
                        .asString())
                .isEqualTo("COMPLETED");
    }

    @Test
    void anotherUsersUploadIsNotFoundAndASinglePutIsNotMultipart() {
        String owner = newUser();
        String uploadId =
                sign(owner, "video", "video/mp4", SIZE).body().get("uploadId").asString();
        for (String route : new String[] {"create", "complete"}) {
            Reply reply = xml(newUser(), "POST", "/uploads/" + uploadId + "/s3/" + route);
            assertThat(reply.status()).as(route).isEqualTo(404);
            assertThat(reply.body().get("error").asString()).isEqualTo("not_found");
        }
        assertThat(xml(newUser(), "GET", "/uploads/" + uploadId + "/s3/parts").status())
                .isEqualTo(404);

        String single =
                sign(owner, "avatar", "image/png", 100).body().get("uploadId").asString();
        Reply notMultipart = xml(owner, "POST", "/uploads/" + single + "/s3/create");
        assertThat(notMultipart.status()).isEqualTo(409);
        assertThat(notMultipart.body().get("error").asString()).isEqualTo("not_multipart");
        assertThat(xml(null, "POST", "/uploads/" + uploadId + "/s3/complete").status())
                .isEqualTo(401);
    }

    /** As Uppy sends them: XHR with the adapter's Authorization header, a body only for complete. */
    private Reply xml(String user, String method, String path) {
        var request = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        method.equals("POST") && path.endsWith("/complete")
                                ? HttpRequest.BodyPublishers.ofString(
                                        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                                                + "<ETag>x</ETag></Part></CompleteMultipartUpload>")
                                : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", path.endsWith("/complete") ? "application/xml" : "video/mp4");
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        return send(request.build());
    }
}
