package io.uploadguard.enforcer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every metric ops dashboards and alerts use is exported, with bounded labels. */
@Tag("integration")
class EnforcerMetricsTest extends EnforcerIntegrationTest {

    static java.util.List<String> exportedMetricList(String service) {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of(
                            System.getProperty("uploadguard.repo"), "infra/observability/metrics", service + ".txt"))
                    .stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theScrapeHasEveryEnforcementMetric() {
        String user = newUser();
        awaitVerdict(upload(user, "avatar", "image/png", png(321)).key());
        awaitVerdict(upload(newUser(), "avatar", "image/png", html(321)).key());

        String scrape = org.awaitility.Awaitility.await()
                .until(
                        this::scrape,
                        s -> s.contains("uploadguard_dead_letter_messages")
                                && !s.contains("uploadguard_dead_letter_messages -1"));

        assertThat(scrape).containsPattern("uploadguard_events_total\\{[^}]*kind=\"created\",outcome=\"accepted\"");
        assertThat(scrape).containsPattern("uploadguard_verdicts_total\\{[^}]*outcome=\"accepted\",reason=\"none\"");
        assertThat(scrape)
                .containsPattern("uploadguard_verdicts_total\\{[^}]*outcome=\"rejected\",reason=\"type_mismatch\"");
        assertThat(scrape).containsPattern("uploadguard_verdict_bytes_total\\{[^}]*outcome=\"accepted\"");
        assertThat(scrape).contains("uploadguard_inspection_duration_seconds_bucket");
        assertThat(scrape).contains("uploadguard_event_lag_seconds_bucket");
        assertThat(scrape).contains("uploadguard_messages_in_flight");
        assertThat(scrape).contains("uploadguard_users_blocked");
        assertThat(scrape).as("no user id in labels").doesNotContain(user);
        // what the alert rules and the dashboard query (infra/observability) must really be exported
        for (String metric : exportedMetricList("enforcer")) {
            assertThat(scrape)
                    .as("listed in infra/observability/metrics/enforcer.txt")
                    .contains("\n" + metric);
        }
    }
}
