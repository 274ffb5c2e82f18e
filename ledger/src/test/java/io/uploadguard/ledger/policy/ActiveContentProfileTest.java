package io.uploadguard.ledger.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Profiles that would serve types a browser executes: refused at start-up unless opted in. */
@ExtendWith(OutputCaptureExtension.class)
class ActiveContentProfileTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(LedgerPropertiesTest.PropertiesOnly.class);

    @Test
    void aProfileAllowingSvgIsRefusedAtStartUpNamingTheProfileAndTheType() {
        runner.withPropertyValues(
                        "uploadguard.profiles.avatar.allowed-types=image/png,image/svg+xml",
                        "uploadguard.profiles.avatar.max-size=1MB")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("profile 'avatar'")
                            .hasMessageContaining("image/svg+xml")
                            .hasMessageContaining("active-content=true");
                });
    }

    @Test
    void everyScriptCarryingTypeIsActiveContent() {
        for (String type : new String[] {
            "text/html",
            "TEXT/HTML",
            "application/xhtml+xml",
            "image/svg+xml",
            "text/javascript",
            "application/javascript",
            "text/xml",
            "application/xml",
            "application/atom+xml"
        }) {
            assertThat(UploadProfile.isActiveContent(type)).as(type).isTrue();
        }
        for (String type : new String[] {"image/png", "image/jpeg", "application/pdf", "text/plain", "video/mp4"}) {
            assertThat(UploadProfile.isActiveContent(type)).as(type).isFalse();
        }
    }

    @Test
    void anOptedInProfileStartsWithOneWarningAndServesInlineOnlyWhenAsked(CapturedOutput output) {
        runner.withPropertyValues(
                        "uploadguard.profiles.pages.allowed-types=text/html",
                        "uploadguard.profiles.pages.max-size=1MB",
                        "uploadguard.profiles.pages.active-content=true",
                        "uploadguard.profiles.pages.inline=true",
                        "uploadguard.profiles.avatar.allowed-types=image/png",
                        "uploadguard.profiles.avatar.max-size=1MB")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    UploadProfiles profiles = context.getBean(UploadProfiles.class);
                    UploadProfile pages = profiles.profile("pages").orElseThrow();
                    assertThat(pages.activeContent()).isTrue();
                    assertThat(pages.inline()).isTrue();
                    UploadProfile avatar = profiles.profile("avatar").orElseThrow();
                    assertThat(avatar.activeContent()).isFalse();
                    assertThat(avatar.inline()).isFalse();
                    assertThat(output.getOut()
                                    .lines()
                                    .filter(l -> l.contains("WARN") && l.contains("active content"))
                                    .toList())
                            .hasSize(1)
                            .allMatch(l -> l.contains("pages [text/html]"));
                });
    }

    @Test
    void theBuiltInProfilesServeNoActiveContent() {
        UploadProfiles.DEFAULTS
                .values()
                .forEach(p -> assertThat(p.activeTypes()).isEmpty());
    }
}
