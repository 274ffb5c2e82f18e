package io.uploadguard.signer.browser;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsSettingsVerifiedTest {

    private static CorsProperties origins(String... origins) {
        return new CorsProperties(List.of(origins), List.of("Authorization"), Duration.ofHours(1));
    }

    @Test
    void aWildcardIsRefusedInProductionWithAMessageThatSaysWhatToDo() {
        assertThatThrownBy(() -> CorsSettingsVerified.verify(origins("https://app.example", "*"), "production"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start")
                .hasMessageContaining("uploadguard.cors.allowed-origins")
                .hasMessageContaining("exact origins");
        assertThatThrownBy(() -> CorsSettingsVerified.verify(origins("https://*.example"), "cloud", "production"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void exactOriginsPassInProductionAndAWildcardPassesOutsideIt() {
        assertThatCode(() -> CorsSettingsVerified.verify(origins("https://app.example"), "production"))
                .doesNotThrowAnyException();
        assertThatCode(() -> CorsSettingsVerified.verify(origins(), "production"))
                .doesNotThrowAnyException();
        assertThatCode(() -> CorsSettingsVerified.verify(origins("*"))).doesNotThrowAnyException();
    }

    @Test
    void blankEntriesFromAnEmptyEnvironmentVariableMeanNoOrigin() {
        assertThat(origins("", " ").allowedOrigins()).isEmpty();
    }

    private static org.assertj.core.api.ListAssert<String> assertThat(List<String> list) {
        return org.assertj.core.api.Assertions.assertThat(list);
    }
}
