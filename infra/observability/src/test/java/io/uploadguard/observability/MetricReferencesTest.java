package io.uploadguard.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every metric the alert rules and the dashboard query is one the services export: the lists in
 * {@code infra/observability/metrics/*.txt}, which the signer's and the enforcer's own tests check
 * against their real {@code /actuator/prometheus} scrape.
 */
@Tag("integration")
class MetricReferencesTest {

    static final Path DASHBOARD = ProjectFiles.observability().resolve("grafana/dashboards/uploadguard.json");

    static Set<String> exported() {
        Set<String> names = new TreeSet<>();
        for (String service : List.of("signer", "enforcer", "enforcer-notifications")) {
            for (String line : ProjectFiles.read(ProjectFiles.observability().resolve("metrics/" + service + ".txt"))
                    .split("\n")) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    assertThat(name).as("metric name in " + service + ".txt").matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
                    names.add(name);
                }
            }
        }
        return names;
    }

    static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(ProjectFiles.read(DASHBOARD));
    }

    /** Panel title -> its query expressions. */
    static Map<String, List<String>> dashboardQueries() {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asString()));
            queries.put(panel.path("title").asString(), exprs);
        }
        return queries;
    }

    @Test
    void theLexerFindsMetricNamesAndNothingElse() {
        assertThat(PromQlMetrics.metricNames(
                        "histogram_quantile(0.95, sum by (le) (rate(a_bucket{job=\"x\", le!=\"1\"}[5m]))) > 60"))
                .containsExactly("a_bucket");
        assertThat(PromQlMetrics.metricNames("(sum(increase(b_total{outcome=\"signed\"}[15m])) >= 10) and on () "
                        + "((sum(increase(c_total{kind=\"created\"}[15m])) or vector(0)) == 0)"))
                .containsExactly("b_total", "c_total");
        assertThat(PromQlMetrics.metricNames("sum without (instance) (rate(d[$__rate_interval] offset 1h)) / e"))
                .containsExactly("d", "e");
        assertThat(PromQlMetrics.metricNames("max(f) * on (job) group_left (version) g unless h:recorded"))
                .containsExactly("f", "g", "h:recorded");
        assertThat(PromQlMetrics.metricNames("sum(rate(x{uri=~\"/uploads.*\", s=\"by (a)\"}[1m] )) * 1e3"))
                .containsExactly("x");
    }

    @Test
    void everyMetricTheRulesUseIsExported() {
        Set<String> exported = exported();
        List<Map<?, ?>> rules = PrometheusRulesTest.rules();
        assertThat(rules).isNotEmpty();
        for (Map<?, ?> rule : rules) {
            String expr = (String) rule.get("expr");
            Set<String> used = PromQlMetrics.metricNames(expr);
            assertThat(used).as("metrics of rule " + rule.get("alert")).isNotEmpty();
            assertThat(exported)
                    .as("rule " + rule.get("alert") + " queries " + used)
                    .containsAll(used);
        }
    }

    @Test
    void everyMetricTheDashboardUsesIsExported() {
        Set<String> exported = exported();
        Map<String, List<String>> queries = dashboardQueries();
        assertThat(queries).isNotEmpty();
        queries.forEach((title, exprs) -> {
            assertThat(exprs).as("queries of panel " + title).isNotEmpty();
            for (String expr : exprs) {
                Set<String> used = PromQlMetrics.metricNames(expr);
                assertThat(used).as("metrics of panel " + title + ": " + expr).isNotEmpty();
                assertThat(exported).as("panel " + title + " queries " + used).containsAll(used);
            }
        });
    }

    @Test
    void theDashboardShowsWhatTheIssueAsksFor() {
        Map<String, Set<String>> metricsByPanel = new LinkedHashMap<>();
        dashboardQueries()
                .forEach((title, exprs) -> metricsByPanel.put(
                        title,
                        exprs.stream()
                                .flatMap(e -> PromQlMetrics.metricNames(e).stream())
                                .collect(Collectors.toSet())));
        Set<String> all = metricsByPanel.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertThat(all)
                .contains(
                        "uploadguard_signing_requests_total", // signing rate, refusals by reason
                        "uploadguard_verdicts_total", // verdicts by reason
                        "uploadguard_verdict_bytes_total", // bytes accepted / rejected
                        "uploadguard_event_lag_seconds_bucket", // event lag
                        "uploadguard_messages_in_flight", // in flight
                        "uploadguard_dead_letter_messages", // DLQ depth
                        "uploadguard_users_blocked"); // blocked users
        String allExprs = String.join(
                "\n", dashboardQueries().values().stream().flatMap(List::stream).toList());
        assertThat(allExprs).contains("sum by (reason) (rate(uploadguard_signing_requests_total{outcome=\"refused\"}");
        assertThat(allExprs).contains("sum by (outcome, reason) (rate(uploadguard_verdicts_total");
        assertThat(allExprs).contains("sum by (outcome) (rate(uploadguard_verdict_bytes_total");
    }

    @Test
    void theDashboardIsWellFormedForProvisioning() {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asString()).isEqualTo("uploadguard");
        assertThat(dashboard.path("title").asString()).isNotBlank();
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("panel ids are unique")
                    .isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("w").asInt()).isBetween(1, 24);
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
            if (!panel.path("type").asString().equals("row")) {
                // the provisioned data source (grafana/provisioning/datasources/prometheus.yml)
                assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("prometheus");
                panel.path("targets")
                        .forEach(
                                t -> assertThat(t.path("datasource").path("uid").asString())
                                        .isEqualTo("prometheus"));
            }
        }
        assertThat(ProjectFiles.read(
                        ProjectFiles.observability().resolve("grafana/provisioning/datasources/prometheus.yml")))
                .contains("uid: prometheus");
    }

    /** promtool parses every dashboard query (as a recording rule, with Grafana's variables filled in). */
    @Test
    void promtoolParsesEveryDashboardQuery(@TempDir Path dir) throws IOException {
        Path promtool = PrometheusRulesTest.requirePromtool();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (List<String> exprs : dashboardQueries().values()) {
            for (String expr : exprs) {
                String filled = expr.replace("$__rate_interval", "1m")
                        .replace("$__range", "1h")
                        .replace("$__interval", "1m");
                rules.append("      - record: dashboard:query")
                        .append(i++)
                        .append("\n")
                        .append("        expr: '")
                        .append(filled.replace("'", "''"))
                        .append("'\n");
            }
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        ProjectFiles.Result result =
                ProjectFiles.run(dir, List.of(promtool.toString(), "check", "rules", file.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + i + " rules found");
    }

    @Test
    void theListsAreWhatTheServicesMustExport() {
        // a guard against emptying the lists to make the checks above pass
        assertThat(exported())
                .contains(
                        "uploadguard_signing_requests_total",
                        "uploadguard_events_total",
                        "uploadguard_dead_letter_messages",
                        "http_server_requests_seconds_count");
    }
}
