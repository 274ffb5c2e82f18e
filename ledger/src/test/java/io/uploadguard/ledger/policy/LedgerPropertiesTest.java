package io.uploadguard.ledger.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class LedgerPropertiesTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsWhenNothingIsConfigured() {
        runner.run(context -> {
            UploadProfiles profiles = context.getBean(UploadProfiles.class);
            assertThat(profiles.profiles()).containsOnlyKeys("avatar", "document", "video");
            UploadProfile avatar = profiles.profile("avatar").orElseThrow();
            assertThat(avatar.allowedTypes()).containsExactly("image/png", "image/jpeg", "image/webp");
            assertThat(avatar.maxSize()).isEqualTo(DataSize.ofMegabytes(5));
            assertThat(avatar.urlLifetime()).isEqualTo(Duration.ofMinutes(5));
            assertThat(avatar.onViolation()).isEqualTo(ViolationAction.QUARANTINE);
            UploadProfile document = profiles.profile("document").orElseThrow();
            assertThat(document.allowedTypes()).containsExactly("application/pdf");
            assertThat(document.maxSize()).isEqualTo(DataSize.ofMegabytes(50));

            QuotaPolicy quotas = context.getBean(QuotaPolicy.class);
            assertThat(quotas.defaults()).isEqualTo(Quota.DEFAULT);
            assertThat(quotas.defaults().maxBytes()).isEqualTo(1024L * 1024 * 1024);
            assertThat(quotas.forUser("anyone")).isEqualTo(Quota.DEFAULT);

            assertThat(context.getBean(KeyLayout.class)).isEqualTo(KeyLayout.DEFAULT);
        });
    }

    @Test
    void configuredValuesBind() {
        runner.withPropertyValues(
                        "uploadguard.profiles.avatar.allowed-types=image/png,IMAGE/GIF",
                        "uploadguard.profiles.avatar.max-size=2MB",
                        "uploadguard.profiles.avatar.url-lifetime=10m",
                        "uploadguard.profiles.avatar.on-violation=delete",
                        "uploadguard.profiles.video.allowed-types=video/mp4",
                        "uploadguard.profiles.video.max-size=1GB",
                        "uploadguard.quota.defaults.max-bytes=1000",
                        "uploadguard.quota.defaults.max-signed-urls-per-minute=5",
                        "uploadguard.quota.users[alice@example.com].max-objects=7",
                        "uploadguard.quota.users[alice@example.com].block-duration=1d",
                        "uploadguard.layout.incoming-prefix=in/",
                        "uploadguard.layout.served-prefix=public/")
                .run(context -> {
                    UploadProfiles profiles = context.getBean(UploadProfiles.class);
                    assertThat(profiles.profiles()).containsOnlyKeys("avatar", "video");
                    UploadProfile avatar = profiles.profile("avatar").orElseThrow();
                    assertThat(avatar.allowedTypes()).isEqualTo(List.of("image/png", "image/gif"));
                    assertThat(avatar.allows("image/GIF")).isTrue();
                    assertThat(avatar.allows("image/jpeg")).isFalse();
                    assertThat(avatar.maxSize()).isEqualTo(DataSize.ofMegabytes(2));
                    assertThat(avatar.urlLifetime()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(avatar.onViolation()).isEqualTo(ViolationAction.DELETE);
                    UploadProfile video = profiles.profile("video").orElseThrow();
                    assertThat(video.urlLifetime()).isEqualTo(UploadProfile.DEFAULT_URL_LIFETIME);
                    assertThat(video.onViolation()).isEqualTo(ViolationAction.QUARANTINE);

                    QuotaPolicy quotas = context.getBean(QuotaPolicy.class);
                    assertThat(quotas.defaults().maxBytes()).isEqualTo(1000);
                    assertThat(quotas.defaults().maxSignedUrlsPerMinute()).isEqualTo(5);
                    assertThat(quotas.defaults().maxObjects()).isEqualTo(Quota.DEFAULT.maxObjects());
                    Quota alice = quotas.forUser("alice@example.com");
                    assertThat(alice.maxObjects()).isEqualTo(7);
                    assertThat(alice.blockDuration()).isEqualTo(Duration.ofDays(1));
                    assertThat(quotas.forUser("bob")).isEqualTo(quotas.defaults());

                    KeyLayout layout = context.getBean(KeyLayout.class);
                    assertThat(layout.incomingPrefix()).isEqualTo("in/");
                    assertThat(layout.servedPrefix()).isEqualTo("public/");
                    assertThat(layout.quarantinePrefix()).isEqualTo("quarantine/");
                });
    }

    @Test
    void theScanRequirementBindsAndIsUnsetByDefault() {
        runner.withPropertyValues(
                        "uploadguard.profiles.document.allowed-types=application/pdf",
                        "uploadguard.profiles.document.max-size=50MB",
                        "uploadguard.profiles.document.scan=required",
                        "uploadguard.profiles.avatar.allowed-types=image/png",
                        "uploadguard.profiles.avatar.max-size=5MB",
                        "uploadguard.profiles.avatar.scan=optional",
                        "uploadguard.profiles.notes.allowed-types=text/plain",
                        "uploadguard.profiles.notes.max-size=1MB")
                .run(context -> {
                    UploadProfiles profiles = context.getBean(UploadProfiles.class);
                    assertThat(profiles.profile("document").orElseThrow().scan())
                            .isEqualTo(ScanRequirement.REQUIRED);
                    assertThat(profiles.profile("avatar").orElseThrow().scan()).isEqualTo(ScanRequirement.OPTIONAL);
                    assertThat(profiles.profile("notes").orElseThrow().scan())
                            .as("left to the enforcer: required with a scanner, off without")
                            .isNull();
                });
        assertThat(UploadProfiles.defaults().profile("document").orElseThrow().scan())
                .isNull();
    }

    @Test
    void urlLifetimeAboveSevenDaysIsRefusedWithAClearMessage() {
        runner.withPropertyValues(
                        "uploadguard.profiles.avatar.allowed-types=image/png",
                        "uploadguard.profiles.avatar.max-size=1MB",
                        "uploadguard.profiles.avatar.url-lifetime=8d")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("url-lifetime must be more than 0 and at most 7 days"));
    }

    @Test
    void multipartSettingsBind() {
        runner.withPropertyValues(
                        "uploadguard.profiles.archive.allowed-types=application/zip",
                        "uploadguard.profiles.archive.max-size=5TB",
                        "uploadguard.profiles.archive.multipart-threshold=64MB",
                        "uploadguard.profiles.archive.part-size=1GB",
                        "uploadguard.profiles.archive.multipart-lifetime=3d")
                .run(context -> {
                    UploadProfile archive = context.getBean(UploadProfiles.class)
                            .profile("archive")
                            .orElseThrow();
                    assertThat(archive.maxSize()).isEqualTo(DataSize.ofTerabytes(5));
                    assertThat(archive.multipartThreshold()).isEqualTo(DataSize.ofMegabytes(64));
                    assertThat(archive.partSize()).isEqualTo(DataSize.ofGigabytes(1));
                    assertThat(archive.multipartLifetime()).isEqualTo(Duration.ofDays(3));
                });
    }

    @Test
    void aPartSizeBelowFiveMegabytesIsRefusedAtStartUp() {
        runner.withPropertyValues(
                        "uploadguard.profiles.archive.allowed-types=application/zip",
                        "uploadguard.profiles.archive.max-size=1GB",
                        "uploadguard.profiles.archive.multipart-threshold=64MB",
                        "uploadguard.profiles.archive.part-size=1MB")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("part-size must be 5MB to 5GB"));
    }

    @Test
    void zeroUrlLifetimeIsRefused() {
        runner.withPropertyValues(
                        "uploadguard.profiles.avatar.allowed-types=image/png",
                        "uploadguard.profiles.avatar.max-size=1MB",
                        "uploadguard.profiles.avatar.url-lifetime=0s")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("url-lifetime"));
    }

    @Test
    void profileWithoutTypesIsRefused() {
        runner.withPropertyValues("uploadguard.profiles.avatar.max-size=1MB")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("allowed-types"));
    }

    @Test
    void nonPositiveQuotaIsRefused() {
        runner.withPropertyValues("uploadguard.quota.defaults.max-bytes=0")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("max-bytes must be more than 0"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({UploadProfiles.class, QuotaPolicy.class, KeyLayout.class})
    static class PropertiesOnly {}
}
