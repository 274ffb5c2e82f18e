package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.demo.Demo;
import io.uploadguard.security.LocalTokens;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
        assertThat(client.put(signed.body(), png)).isEqualTo(200);
        var verdict =
                client.awaitVerdict(s.demoToken(), signed.body().get("uploadId").asString(), Duration.ofSeconds(60));

        assertThat(verdict.get("status").asString()).isEqualTo("accepted");
        assertThat(verdict.get("action").asString()).isEqualTo("promoted");
        assertThat(verdict.get("realSize").asLong()).isEqualTo(png.length);
        assertThat(verdict.get("detectedType").asString()).isEqualTo("image/png");
    }
}
