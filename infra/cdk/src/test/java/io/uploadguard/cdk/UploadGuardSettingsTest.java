package io.uploadguard.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
    void lambdasNeedTheirArtifactsAndTheJwtSettings() {
        assertThatThrownBy(() -> with(Map.of("lambdas", "true"))).hasMessageContaining("jwtIssuer");
        assertThatThrownBy(() -> with(Map.of("compute", "fargate"))).hasMessageContaining("jwtIssuer");
        assertThatThrownBy(() -> with(Map.of("lambdas", "true", "jwtIssuer", "https://issuer.example/")))
                .hasMessageContaining("jwtAudiences");
        UploadGuardSettings lambda = with(Map.of(
                "lambdas",
                "true",
                "signerLambdaArtifact",
                "a.zip",
                "enforcerLambdaArtifact",
                "b.zip",
                "jwtIssuer",
                "https://issuer.example/",
                "jwtAudiences",
                "uploadguard"));
        assertThat(lambda.compute()).isEqualTo(ComputeSettings.Kind.LAMBDA);
        // checked when the functions are built: CDK needs the files at synth time
        assertThatThrownBy(() -> lambda.computeOptions().requireLambdaArtifacts())
                .hasMessageContaining("signerLambdaArtifact")
                .hasMessageContaining("./mvnw");
    }

    @Test
    void computeAndDatabaseOptions() {
        UploadGuardSettings defaults = UploadGuardSettings.defaults();
        assertThat(defaults.compute()).isEqualTo(ComputeSettings.Kind.NONE);
        assertThat(defaults.createsDatabase()).isFalse();
        assertThat(defaults.needsNetwork()).isFalse();
        String version = BuildInfo.projectVersion();
        assertThat(defaults.computeOptions().signerLambdaArtifact())
                .isEqualTo("../../signer/target/uploadguard-signer-" + version + "-lambda.zip");
        assertThat(defaults.computeOptions().enforcerLambdaArtifact())
                .isEqualTo("../../enforcer/target/uploadguard-enforcer-" + version + "-lambda.zip");
        // the defaults are relative to infra/cdk, where the app and these tests run
        assertThat(ProjectFiles.root()
                        .resolve("infra/cdk")
                        .resolve(defaults.computeOptions().signerImageDirectory()))
                .isDirectory();
        assertThat(Path.of(defaults.computeOptions().signerImageDirectory(), "Dockerfile"))
                .isRegularFile();
        assertThat(Path.of(defaults.computeOptions().enforcerImageDirectory(), "Dockerfile"))
                .isRegularFile();
        assertThat(with(Map.of("database", "Aurora")).needsNetwork()).isTrue();
        assertThat(with(Map.of("database", "aurora", "databaseMinCapacity", "0"))
                        .databaseOptions())
                .isEqualTo(new DatabaseSettings(DatabaseSettings.Kind.AURORA, "uploadguard", 0, 4, true));
        Map<String, Object> identity = Map.of("jwtIssuer", "https://issuer.example/", "jwtAudiences", "a");
        Map<String, Object> fargate = new HashMap<>(identity);
        fargate.put("compute", "fargate");
        assertThat(with(fargate).needsNetwork()).isTrue();
        fargate.put("lambdas", "true");
        assertThatThrownBy(() -> with(fargate)).hasMessageContaining("compute=fargate");
        assertThatThrownBy(() -> with(Map.of("compute", "ec2"))).hasMessageContaining("[none, lambda, fargate]");
        assertThatThrownBy(() -> with(Map.of("database", "aurora", "datasourceUrl", "jdbc:postgresql://x/y")))
                .hasMessageContaining("database=aurora");
        assertThatThrownBy(() -> with(Map.of("enforcerMinTasks", 0))).hasMessageContaining("enforcerMinTasks");
        assertThatThrownBy(() -> with(Map.of("managementPort", 8080))).hasMessageContaining("managementPort");
        assertThatThrownBy(() -> with(Map.of("databaseMaxCapacity", "0.5"))).hasMessageContaining("databaseMax");
        assertThatThrownBy(() -> with(Map.of("databaseMinCapacity", "half"))).hasMessageContaining("databaseMin");
    }

    @Test
    void notificationChannelsAreOffUnlessAsked() {
        assertThat(UploadGuardSettings.defaults().notificationsOptions().any()).isFalse();
        NotificationSettings bus =
                with(Map.of("notificationsEventBus", "default")).notificationsOptions();
        assertThat(bus.eventBus()).isEqualTo("default");
        assertThat(bus.any()).isTrue();
        assertThat(with(Map.of("notificationsTopic", "true"))
                        .notificationsOptions()
                        .topic())
                .isTrue();
        assertThatThrownBy(() -> with(Map.of("notificationsEventBus", "my bus")))
                .hasMessageContaining("notificationsEventBus");
    }

    @Test
    void everyDocumentedKeyHasADefault() {
        // one key per component; computeOptions, databaseOptions and notificationsOptions hold keys of their own
        assertThat(UploadGuardSettings.DEFAULTS)
                .hasSize(UploadGuardSettings.class.getRecordComponents().length
                        - 3
                        + ComputeSettings.class.getRecordComponents().length
                        + DatabaseSettings.class.getRecordComponents().length
                        + NotificationSettings.class.getRecordComponents().length);
        String docs = ProjectFiles.read(ProjectFiles.root().resolve("docs/infra.md"));
        UploadGuardSettings.DEFAULTS
                .keySet()
                .forEach(key -> assertThat(docs)
                        .as("docs/infra.md documents context key " + key)
                        .contains("`" + key + "`"));
    }
}
