package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxConfigTest {

    @Test
    void optionsOverrideDefaults() {
        var config = SandboxConfig.fromArgs(
                new String[] {
                    "--s3-port",
                    "9000",
                    "--max-receive-count",
                    "3",
                    "--cors-origin",
                    "http://localhost:8080",
                    "--storage-dir",
                    "/tmp/s3",
                    "--s3-latency",
                    "15"
                },
                Map.of());

        assertThat(config.s3Port()).isEqualTo(9000);
        assertThat(config.sqsPort()).isZero();
        assertThat(config.maxReceiveCount()).isEqualTo(3);
        assertThat(config.corsOrigins()).containsExactly("http://localhost:8080");
        assertThat(config.storageDir()).contains(Path.of("/tmp/s3"));
        assertThat(config.s3Latency()).isEqualTo(java.time.Duration.ofMillis(15));
        assertThat(SandboxConfig.defaults().s3Latency()).isZero();
    }

    @Test
    void theEndpointsFileComesFromTheEnvironmentUnlessAnOptionSaysOtherwise() {
        var env = Map.of(SandboxConfig.ENDPOINTS_FILE_ENV, "/tmp/from-env.json");

        assertThat(SandboxConfig.fromArgs(new String[0], env).endpointsFileOrDefault())
                .isEqualTo(Path.of("/tmp/from-env.json"));
        assertThat(SandboxConfig.fromArgs(new String[] {"--endpoints-file", "/tmp/opt.json"}, env)
                        .endpointsFileOrDefault())
                .isEqualTo(Path.of("/tmp/opt.json"));
        assertThat(SandboxConfig.fromArgs(new String[0], Map.of()).endpointsFileOrDefault())
                .isEqualTo(Path.of("work", "sandbox", "sandbox-endpoints.json"));
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> SandboxConfig.fromArgs(new String[] {"--s3-port", "http"}, Map.of()))
                .hasMessageContaining("--s3-port needs a whole number");
        assertThatThrownBy(() -> SandboxConfig.fromArgs(new String[] {"--s3-port", "70000"}, Map.of()))
                .hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> SandboxConfig.fromArgs(new String[] {"--colour", "red"}, Map.of()))
                .hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> SandboxConfig.fromArgs(new String[] {"--bucket"}, Map.of()))
                .hasMessageContaining("needs a value");
    }
}
