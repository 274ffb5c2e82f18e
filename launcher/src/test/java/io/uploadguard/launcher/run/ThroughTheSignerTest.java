package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.demo.Demo;
import io.uploadguard.security.LocalTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end across the real processes: uploads signed by the signer, judged by the enforcer, and
 * the enforcer's verdicts changing what the signer answers.
 */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class ThroughTheSignerTest {

    @Test
    void aUserWhoPassesTheViolationThresholdIsBlockedAndTheSignerThenRefusesThem(LocalSettings s) {
        String user = "repeat-offender-" + UUID.randomUUID();
        String token = LocalTokens.mint(s.hmacSecret(), user, Duration.ofMinutes(10));
        var client = new SignerClient(s.signerUrl());
        byte[] page = Demo.Samples.disguisedHtml();

        // the default quota blocks at the third violation
        for (int i = 0; i < 3; i++) {
            var signed = client.sign(token, "avatar", "image/png", page.length, null);
            assertThat(signed.status()).isEqualTo(201);
            assertThat(client.put(signed.body(), page)).isEqualTo(200);
            var verdict =
                    client.awaitVerdict(token, signed.body().get("uploadId").asString(), Duration.ofSeconds(60));
            assertThat(verdict.get("status").asString()).isEqualTo("rejected");
        }

        var refused = client.sign(token, "avatar", "image/png", 10, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("error").asString()).isEqualTo("user_blocked");
        assertThat(refused.body().get("blockedUntil").asString()).isNotBlank();
    }

    @Test
    void anHonestUploadIsServedFromTheServedArea(LocalSettings s) {
        var client = new SignerClient(s.signerUrl());
        byte[] png = Demo.Samples.png();

        var signed = client.sign(s.demoToken(), "avatar", "image/png", png.length, "pixel.png");
        assertThat(signed.status()).as("signing answered %s", signed.body()).isEqualTo(201);
        assertThat(client.put(signed.body(), png)).isEqualTo(200);
        var verdict =
                client.awaitVerdict(s.demoToken(), signed.body().get("uploadId").asString(), Duration.ofSeconds(60));

        assertThat(verdict.get("status").asString()).isEqualTo("accepted");
        assertThat(verdict.get("action").asString()).isEqualTo("promoted");
        assertThat(verdict.get("realSize").asLong()).isEqualTo(png.length);
        assertThat(verdict.get("detectedType").asString()).isEqualTo("image/png");
    }

    /**
     * A file above the video profile's multipart threshold: the grant plans parts, the client PUTs
     * each to its URL, the signer completes the upload, and the enforcer judges the whole object.
     */
    @Test
    void aLargeFileGoesUpInPartsAndTheSignerCompletesIt(LocalSettings s, @TempDir Path dir) throws Exception {
        String token = LocalTokens.mint(s.hmacSecret(), "large-file-" + UUID.randomUUID(), Duration.ofMinutes(10));
        var client = new SignerClient(s.signerUrl());
        byte[] bytes = new byte[40 * 1024 * 1024 + 123];
        new Random(16).nextBytes(bytes);
        Path file = Files.write(dir.resolve("dataset.bin"), bytes);

        var signed = client.sign(token, "video", "application/octet-stream", bytes.length, "dataset.bin");
        assertThat(signed.status()).as("signing answered %s", signed.body()).isEqualTo(201);
        assertThat(signed.body().get("method").asString()).isEqualTo("MULTIPART");
        long partSize = signed.body().get("partSize").asLong();
        assertThat(signed.body().get("partCount").asInt()).isEqualTo((int) ((bytes.length + partSize - 1) / partSize));

        var completed = client.uploadParts(token, signed.body(), file);
        assertThat(completed.status())
                .as("completion answered %s", completed.body())
                .isEqualTo(200);
        assertThat(completed.body().get("state").asString()).isEqualTo("COMPLETED");
        var verdict = client.awaitVerdict(token, signed.body().get("uploadId").asString(), Duration.ofSeconds(90));
        assertThat(verdict.get("status").asString()).isEqualTo("accepted");
        assertThat(verdict.get("realSize").asLong()).isEqualTo(bytes.length);
    }

    /**
     * The local backend is told of each verdict by a webhook whose Standard Webhooks signature its
     * receiver verified (it keeps nothing else), with the reference given at signing; a forged
     * webhook is refused.
     */
    @Test
    void theBackendIsToldOfAnAcceptedAndARejectedUploadBySignedWebhooks(LocalPipeline pipeline) throws Exception {
        LocalSettings s = pipeline.settings();
        var client = new SignerClient(s.signerUrl());
        // a user of its own: the rejected upload is a violation, and the demo user is shared by the
        // other tests of this pipeline (three violations block)
        String token = LocalTokens.mint(s.hmacSecret(), "told-backend-" + UUID.randomUUID(), Duration.ofMinutes(10));
        String accepted = uploadWithReference(client, token, Demo.Samples.png(), "avatar of account 42");
        String rejected = uploadWithReference(client, token, Demo.Samples.disguisedHtml(), "avatar of account 43");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(pipeline.receiver().eventsFor(accepted)).singleElement().satisfies(event -> {
                assertThat(event.type()).isEqualTo("upload.accepted");
                assertThat(event.clientReference()).isEqualTo("avatar of account 42");
                assertThat(event.reasons()).isEmpty();
            });
            assertThat(pipeline.receiver().eventsFor(rejected)).singleElement().satisfies(event -> {
                assertThat(event.type()).isEqualTo("upload.rejected");
                assertThat(event.clientReference()).isEqualTo("avatar of account 43");
                assertThat(event.reasons()).contains("TYPE_MISMATCH");
            });
        });
        var listed = client.get(s.receiverUrl() + "/events?uploadId=" + accepted);
        assertThat(listed.body().get(0).get("clientReference").asString()).isEqualTo("avatar of account 42");

        String forgedId = "msg_" + UUID.randomUUID();
        var forged = HttpRequest.newBuilder(URI.create(pipeline.receiver().hookUrl()))
                .header("webhook-id", forgedId)
                .header("webhook-timestamp", Long.toString(Instant.now().getEpochSecond()))
                .header("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + forgedId
                        + "\",\"type\":\"upload.accepted\",\"data\":{\"uploadId\":\"" + accepted + "\"}}"))
                .build();
        assertThat(HttpClient.newHttpClient()
                        .send(forged, HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(400);
        assertThat(pipeline.receiver().eventsFor(accepted)).hasSize(1);
    }

    private static String uploadWithReference(SignerClient client, String token, byte[] bytes, String reference) {
        var signed = client.sign(token, "avatar", "image/png", bytes.length, null, reference);
        assertThat(signed.status()).isEqualTo(201);
        assertThat(client.put(signed.body(), bytes)).isEqualTo(200);
        return signed.body().get("uploadId").asString();
    }
}
