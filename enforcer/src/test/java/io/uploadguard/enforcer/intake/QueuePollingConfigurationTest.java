package io.uploadguard.enforcer.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.ledger.policy.ViolationAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class QueuePollingConfigurationTest {

    @Test
    void virtualThreadsOnlyWhenAskedForAndOnJdk21OrNewer() {
        assertThat(QueuePollingConfiguration.virtualThreads(properties(false))).isFalse();
        assertThat(QueuePollingConfiguration.virtualThreads(properties(true)))
                .isEqualTo(Runtime.version().feature() >= 21);
    }

    private static EnforcerProperties properties(boolean virtualThreads) {
        return new EnforcerProperties(
                "bucket",
                "events",
                "events-dlq",
                new EnforcerProperties.Settings(
                        DataSize.ofKilobytes(8),
                        10,
                        "",
                        ViolationAction.QUARANTINE,
                        Duration.ofMinutes(2),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2),
                        virtualThreads));
    }
}
