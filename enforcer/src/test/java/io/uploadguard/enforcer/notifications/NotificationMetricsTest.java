package io.uploadguard.enforcer.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.uploadguard.enforcer.notifications.NotificationMetrics.Outcome;
import io.uploadguard.ledger.notifications.ChannelBacklog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's metrics as Prometheus scrapes them: every name that the alert rules and the
 * dashboard use (listed in infra/observability/metrics/enforcer-notifications.txt), labelled by
 * channel and outcome only.
 */
class NotificationMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void everyListedNameIsExportedWithBoundedLabels() throws IOException {
        NotificationMetrics metrics = new NotificationMetrics(registry, List.of("webhook-0", "eventbridge"));
        Instant now = Instant.now();

        metrics.attempt("webhook-0", Outcome.RETRIED);
        metrics.attempt("webhook-0", Outcome.FAILED);
        metrics.backlog(
                List.of(new ChannelBacklog("webhook-0", 7, now.minus(Duration.ofMinutes(20)))),
                now.minus(Duration.ofMinutes(3)),
                now);
        String scrape = registry.scrape();

        for (String name : listed()) {
            assertThat(scrape).as("listed in enforcer-notifications.txt").contains("\n" + name);
        }
        assertThat(scrape)
                .contains("uploadguard_notifications_deliveries_total{channel=\"webhook-0\",outcome=\"failed\"} 1.0")
                .contains("uploadguard_notifications_deliveries_total{channel=\"eventbridge\",outcome=\"failed\"} 0.0")
                .contains("uploadguard_notifications_pending{channel=\"webhook-0\"} 7.0")
                .contains("uploadguard_notifications_pending{channel=\"eventbridge\"} 0.0")
                .contains("uploadguard_notifications_oldest_undelivered_age_seconds 1200.0");
    }

    @Test
    void nothingWaitingIsAgeZero() {
        NotificationMetrics metrics = new NotificationMetrics(registry, List.of("sns"));

        metrics.backlog(List.of(), null, Instant.now());

        assertThat(registry.scrape()).contains("uploadguard_notifications_oldest_undelivered_age_seconds 0.0");
    }

    private static List<String> listed() throws IOException {
        return Files.readAllLines(Path.of(
                        System.getProperty("uploadguard.repo"),
                        "infra/observability/metrics/enforcer-notifications.txt"))
                .stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }
}
