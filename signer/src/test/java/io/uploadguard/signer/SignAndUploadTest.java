package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/** Sign, then PUT to the sandbox's S3 with exactly the returned headers, as a browser would. */
@Tag("integration")
class SignAndUploadTest extends SignerIntegrationTest {

    @Test
    void aSignedUploadIsStoredWithTheLockedTypeSizeAndOwner() {
        String user = newUser();
        byte[] png = png(2048);

        Reply signed = sign(user, "avatar", "image/png", png.length);

        assertThat(signed.status()).isEqualTo(201);
        JsonNode ticket = signed.body();
        assertThat(ticket.get("method").asString()).isEqualTo("PUT");
        assertThat(ticket.get("key").asString()).startsWith("incoming/user-").endsWith(".png");
        assertThat(signed.raw().headers().firstValue("Location"))
                .hasValue("/uploads/" + ticket.get("uploadId").asString());
        // header names come lower-case, as the SDK signs them; HTTP does not care
        assertThat(headers(ticket))
                .containsEntry("content-type", "image/png")
                .containsEntry("if-none-match", "*")
                .containsKey("x-amz-meta-user-id")
                .containsKey("x-amz-meta-upload-id")
                .doesNotContainKeys("Host", "host", "Content-Length", "content-length");
        assertThat(Instant.parse(ticket.get("expiresAt").asString()))
                .isBetween(Instant.now().plusSeconds(240), Instant.now().plusSeconds(301));
        assertThat(ticket.get("url").asString()).contains("X-Amz-Expires=300");

        assertThat(put(ticket, png).status()).isEqualTo(200);

        try (S3Client s3 = s3()) {
            var head = s3.headObject(
                    r -> r.bucket(sandbox().bucket()).key(ticket.get("key").asString()));
            assertThat(head.contentType()).isEqualTo("image/png");
            assertThat(head.contentLength()).isEqualTo(png.length);
            assertThat(head.metadata())
                    .containsEntry("user-id", user)
                    .containsEntry("upload-id", ticket.get("uploadId").asString());
        }
    }

    @Test
    void everyTamperingIsRefusedByS3() {
        String user = newUser();
        byte[] png = png(1000);
        JsonNode ticket = sign(user, "avatar", "image/png", png.length).body();

        assertThat(put(ticket, png, Map.of("Content-Type", "text/html")).status())
                .as("other type")
                .isEqualTo(403);
        assertThat(put(ticket, png(1001)).status()).as("one byte more").isIn(400, 403);
        assertThat(put(ticket, png(999)).status()).as("one byte less").isIn(400, 403);
        assertThat(put(ticket, png, Map.of("x-amz-meta-user-id", "mallory")).status())
                .as("other owner")
                .isEqualTo(403);
        assertThat(putWithout(ticket, png, "x-amz-meta-user-id").status())
                .as("no owner")
                .isEqualTo(403);
        String otherKey = ticket.get("url").asString().replace(ticket.get("key").asString(), "incoming/x/other.png");
        assertThat(putTo(URI.create(otherKey), ticket, png).status())
                .as("other key")
                .isEqualTo(403);

        assertThat(put(ticket, png).status())
                .as("the honest upload still works")
                .isEqualTo(200);
        assertThat(put(ticket, png).status()).as("a replay cannot overwrite").isEqualTo(412);
    }

    @Test
    void aDeclaredChecksumLocksTheBytes() throws Exception {
        byte[] png = png(700);
        String checksum = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(png));
        var reply = post(
                token(newUser()),
                JSON.writeValueAsString(Map.of(
                        "profile",
                        "avatar",
                        "contentType",
                        "image/png",
                        "size",
                        png.length,
                        "checksumSha256",
                        checksum)));
        JsonNode ticket = reply.body();
        assertThat(headers(ticket)).containsEntry("x-amz-checksum-sha256", checksum);

        byte[] other = png.clone();
        other[600] ^= 1;
        assertThat(put(ticket, other).status()).isIn(400, 403);
        assertThat(put(ticket, png).status()).isEqualTo(200);
    }

    // ---- helpers

    static Map<String, String> headers(JsonNode ticket) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        ticket.get("headers").properties().iterator();
                it.hasNext(); ) {
            var e = it.next();
            headers.put(e.getKey(), e.getValue().asString());
        }
        return headers;
    }

    static Reply put(JsonNode ticket, byte[] body) {
        return put(ticket, body, Map.of());
    }

    static Reply put(JsonNode ticket, byte[] body, Map<String, String> overrides) {
        Map<String, String> headers = headers(ticket);
        overrides.forEach((name, value) -> {
            headers.keySet().removeIf(n -> n.equalsIgnoreCase(name));
            headers.put(name, value);
        });
        return putTo(URI.create(ticket.get("url").asString()), headers, body);
    }

    static Reply putWithout(JsonNode ticket, byte[] body, String header) {
        Map<String, String> headers = headers(ticket);
        headers.keySet().removeIf(n -> n.equalsIgnoreCase(header));
        return putTo(URI.create(ticket.get("url").asString()), headers, body);
    }

    static Reply putTo(URI url, JsonNode ticket, byte[] body) {
        return putTo(url, headers(ticket), body);
    }

    /**
     * Each PUT on a connection of its own: S3 (and S3Proxy) may refuse a tampered PUT before reading
     * its body and then close the connection, which a pooled connection would only show to the next
     * request as a response with no bytes.
     */
    static Reply putTo(URI url, Map<String, String> headers, byte[] body) {
        var request = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return send(http, request.build());
    }

    static S3Client s3() {
        var e = sandbox();
        return S3Client.builder()
                .endpointOverride(URI.create(e.s3Endpoint()))
                .region(Region.of(e.region()))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
                .forcePathStyle(true)
                .build();
    }

    static byte[] png(int size) {
        byte[] bytes = new byte[size];
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, Math.min(size, magic.length));
        for (int i = magic.length; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
