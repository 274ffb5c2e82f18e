package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.demo.Demo;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.security.LocalTokens;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The enforcer as real processes under faults: killed with SIGKILL in the middle of a batch and
 * started again, and two instances consuming the same queue. Afterwards every upload has exactly
 * one verdict and the user's books equal the sum of the accepted sizes.
 */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class EnforcerCrashTest {

    @Test
    void killedHardMidBatchThenRestartedBooksEveryUploadExactlyOnce(LocalPipeline pipeline) {
        long[] killedAt = new long[1];
        // killed halfway through the stream, while it works on the first half's events
        Stream stream = uploadStream(pipeline.settings(), 30, () -> {
            killedAt[0] = System.nanoTime();
            pipeline.killEnforcerHard();
        });
        pipeline.restartEnforcer();

        List<JsonNode> verdicts = stream.awaitVerdicts(Duration.ofSeconds(120));
        double recovered = (System.nanoTime() - killedAt[0]) / 1e9;

        assertBooks(stream, verdicts);
        System.out.printf(
                "FAULT enforcer kill -9 mid-batch: uploads sent=%d settled=%d time-to-recover=%.1f s "
                        + "(objects the dead process had moved settle from the removal events of its deletes; the messages "
                        + "it held come back after their 30 s visibility timeout)%n",
                stream.keys.size(), verdicts.size(), recovered);
    }

    @Test
    void twoEnforcerInstancesOnOneQueueBookEveryUploadExactlyOnce(LocalPipeline pipeline) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (ServiceProcess second = pipeline.startExtraEnforcer(port)) {
            Stream stream = uploadStream(pipeline.settings(), 40, () -> {});
            List<JsonNode> verdicts = stream.awaitVerdicts(Duration.ofSeconds(120));

            assertBooks(stream, verdicts);
            assertThat(second.isAlive()).isTrue();
            System.out.printf(
                    "FAULT two enforcers on one queue: uploads sent=%d settled=%d%n",
                    stream.keys.size(), verdicts.size());
        }
    }

    /** Uploads signed by the real signer, PUT to the sandbox's S3. */
    private static Stream uploadStream(LocalSettings s, int count, Runnable midway) {
        String user = "crash-" + UUID.randomUUID();
        String token = LocalTokens.mint(s.hmacSecret(), user, Duration.ofMinutes(10));
        SignerClient client = new SignerClient(s.signerUrl());
        Stream stream = new Stream(user, token, client);
        for (int i = 0; i < count; i++) {
            byte[] png = java.util.Arrays.copyOf(Demo.Samples.png(), 70 + i);
            var signed = client.sign(token, "avatar", "image/png", png.length, null);
            assertThat(signed.status()).isEqualTo(201);
            assertThat(client.put(signed.body(), png)).isEqualTo(200);
            stream.keys.add(signed.body().get("uploadId").asString());
            stream.expectedBytes += png.length;
            if (i == count / 2) {
                midway.run();
            }
        }
        return stream;
    }

    private static final class Stream {
        final String user;
        final String token;
        final SignerClient client;
        final List<String> keys = new ArrayList<>();
        long expectedBytes;

        Stream(String user, String token, SignerClient client) {
            this.user = user;
            this.token = token;
            this.client = client;
        }

        List<JsonNode> awaitVerdicts(Duration timeout) {
            List<JsonNode> verdicts = new ArrayList<>();
            for (String id : keys) {
                verdicts.add(client.awaitVerdict(token, id, timeout));
            }
            return verdicts;
        }
    }

    private static void assertBooks(Stream stream, List<JsonNode> verdicts) {
        assertThat(verdicts)
                .allSatisfy(v -> assertThat(v.get("status").asString()).isEqualTo("accepted"));
        SandboxEndpoints e = SandboxEndpoints.readFrom(Path.of(
                System.getProperty(LauncherMain.REPO_PROPERTY),
                "launcher/target/pipeline/sandbox/sandbox-endpoints.json"));
        try (var db = DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
                var st = db.prepareStatement("select bytes_used, objects_used, bytes_reserved, objects_reserved, "
                        + "(select count(*) from uploads u where u.user_id = a.user_id and u.status = 'ACCEPTED') "
                        + "from accounts a where user_id = ?")) {
            st.setString(1, stream.user);
            try (var rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("bytes used").isEqualTo(stream.expectedBytes);
                assertThat(rs.getLong(2)).as("objects used").isEqualTo(stream.keys.size());
                assertThat(rs.getLong(3)).as("bytes reserved").isZero();
                assertThat(rs.getLong(4)).as("objects reserved").isZero();
                assertThat(rs.getLong(5)).as("accepted rows").isEqualTo(stream.keys.size());
            }
        } catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
