package io.uploadguard.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Context parsing and validation; no synthesis. */
class UploadGuardSettingsTest {

    static UploadGuardSettings with(Map<String, Object> context) {
        return UploadGuardSettings.fromContext(context::get);
    }

    @Test
    void defaultsMatchTheServicesDefaults() {
        UploadGuardSettings s = UploadGuardSettings.defaults();
        assertThat(s.bucketName()).isNull();
        assertThat(List.of(s.incomingPrefix(), s.servedPrefix(), s.quarantinePrefix()))
                .containsExactly("incoming/", "served/", "quarantine/");
        assertThat(s.eventsQueueName()).isEqualTo("uploadguard-events");
        assertThat(s.deadLetterQueueName()).isEqualTo("uploadguard-events-dlq");
        assertThat(s.maxReceiveCount()).isEqualTo(5);
        assertThat(s.visibilityTimeoutSeconds()).isEqualTo(120);
        assertThat(s.eventsRetentionDays()).isEqualTo(4);
        assertThat(s.deadLetterRetentionDays()).isEqualTo(14);
        assertThat(s.maxMessageSizeBytes()).isEqualTo(262_144);
        assertThat(s.lambdas()).isFalse();
        assertThat(s.quarantineInUploadBucket()).isTrue();
    }

    @Test
    void contextValuesMayBeTextNumbersBooleansOrLists() {
        Map<String, Object> context = new HashMap<>();
        context.put("corsOrigins", List.of("https://a.example", "https://b.example"));
        context.put("maxReceiveCount", 7);
        context.put("separateQuarantineBucket", true);
        context.put("visibilityTimeoutSeconds", "600");
        UploadGuardSettings s = with(context);
        assertThat(s.corsOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(s.maxReceiveCount()).isEqualTo(7);
        assertThat(s.separateQuarantineBucket()).isTrue();
        assertThat(s.visibilityTimeoutSeconds()).isEqualTo(600);
        assertThat(with(Map.of("corsOrigins", " https://a.example ,https://b.example "))
                        .corsOrigins())
                .containsExactly("https://a.example", "https://b.example");
    }

    @Test
    void badValuesAreRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> with(Map.of("maxReceiveCount", "five"))).hasMessageContaining("maxReceiveCount");
        assertThatThrownBy(() -> with(Map.of("maxReceiveCount", 0))).hasMessageContaining("maxReceiveCount");
        assertThatThrownBy(() -> with(Map.of("lambdas", "yes"))).hasMessageContaining("lambdas");
        assertThatThrownBy(() -> with(Map.of("visibilityTimeoutSeconds", 30)))
                .hasMessageContaining("visibilityTimeoutSeconds");
        assertThatThrownBy(() -> with(Map.of("maxMessageSizeBytes", 1024))).hasMessageContaining("64 KB");
        assertThatThrownBy(() -> with(Map.of("eventsRetentionDays", 15))).hasMessageContaining("retention");
        assertThatThrownBy(() -> with(Map.of("deadLetterRetentionDays", 2)))
                .hasMessageContaining("deadLetterRetentionDays");
        assertThatThrownBy(() -> with(Map.of("corsOrigins", ""))).hasMessageContaining("corsOrigins");
        assertThatThrownBy(() -> with(Map.of("servedPrefix", "incoming/")))
                .hasMessageContaining("prefixes must differ");
        assertThatThrownBy(() -> with(Map.of("incomingPrefix", "incoming"))).hasMessageContaining("end with '/'");
    }

    @Test
    void lambdasNeedTheirJarsAndTheJwtSettings() {
        assertThatThrownBy(() -> with(Map.of("lambdas", "true"))).hasMessageContaining("signerLambdaJar");
        assertThatThrownBy(
                        () -> with(Map.of("lambdas", "true", "signerLambdaJar", "a.jar", "enforcerLambdaJar", "b.jar")))
                .hasMessageContaining("jwtIssuer");
        assertThatThrownBy(() -> with(Map.of(
                        "lambdas",
                        "true",
                        "signerLambdaJar",
                        "a.jar",
                        "enforcerLambdaJar",
                        "b.jar",
                        "jwtIssuer",
                        "https://issuer.example/")))
                .hasMessageContaining("jwtAudiences");
    }

    @Test
    void everyDocumentedKeyHasADefault() {
        assertThat(UploadGuardSettings.DEFAULTS).hasSize(UploadGuardSettings.class.getRecordComponents().length);
        String docs = ProjectFiles.read(ProjectFiles.root().resolve("docs/infra.md"));
        UploadGuardSettings.DEFAULTS
                .keySet()
                .forEach(key -> assertThat(docs)
                        .as("docs/infra.md documents context key " + key)
                        .contains("`" + key + "`"));
    }
}
