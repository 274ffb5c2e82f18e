package io.uploadguard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules are valid, and {@code promtool test rules} passes: each rule has a case where it
 * fires and one where it stays quiet. promtool comes from Debian's {@code prometheus} package
 * ({@code .ci/run} unpacks it into /opt/promtool); these tests are skipped, with that reason, only
 * where it is missing.
 */
@Tag("integration")
class PrometheusRulesTest {

    static final Path PROMETHEUS = ProjectFiles.observability().resolve("prometheus");
    static final Path RULES = PROMETHEUS.resolve("rules/uploadguard.rules.yml");
    static final Path RULE_TESTS = PROMETHEUS.resolve("tests/uploadguard.rules.test.yml");

    static Optional<Path> promtool() {
        return ProjectFiles.tool("PROMTOOL", "promtool", "/opt/promtool/usr/bin/promtool");
    }

    static Path requirePromtool() {
        Optional<Path> promtool = promtool();
        assumeTrue(
                promtool.isPresent(),
                "promtool not found (set PROMTOOL, put it on the PATH, or run .ci/run, "
                        + "which unpacks Debian's prometheus package into /opt/promtool)");
        return promtool.get();
    }

    @Test
    void promtoolChecksTheRules() {
        Path promtool = requirePromtool();
        ProjectFiles.Result result =
                ProjectFiles.run(PROMETHEUS, List.of(promtool.toString(), "check", "rules", RULES.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsPass() {
        Path promtool = requirePromtool();
        ProjectFiles.Result result = ProjectFiles.run(
                PROMETHEUS.resolve("tests"),
                List.of(
                        promtool.toString(),
                        "test",
                        "rules",
                        RULE_TESTS.getFileName().toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void promtoolChecksThePrometheusConfig() {
        Path promtool = requirePromtool();
        ProjectFiles.Result result = ProjectFiles.run(
                PROMETHEUS,
                List.of(
                        promtool.toString(),
                        "check",
                        "config",
                        "--syntax-only",
                        PROMETHEUS.resolve("prometheus.yml").toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void everyRuleHasAFiringAndAQuietUnitTest() {
        Map<String, int[]> cases = new HashMap<>(); // alertname -> {firing, quiet}
        Map<String, Object> tests = new Yaml().load(ProjectFiles.read(RULE_TESTS));
        for (Object t : (List<?>) tests.get("tests")) {
            Object alertTests = ((Map<?, ?>) t).get("alert_rule_test");
            if (alertTests == null) {
                continue;
            }
            for (Object a : (List<?>) alertTests) {
                Map<?, ?> alertTest = (Map<?, ?>) a;
                String name = (String) alertTest.get("alertname");
                List<?> expected = (List<?>) alertTest.get("exp_alerts");
                int[] counts = cases.computeIfAbsent(name, k -> new int[2]);
                counts[expected == null || expected.isEmpty() ? 1 : 0]++;
            }
        }
        assertThat(alerts()).isNotEmpty();
        for (String alert : alerts()) {
            assertThat(cases).as("unit tests for " + alert).containsKey(alert);
            assertThat(cases.get(alert)[0]).as(alert + ": cases where it fires").isPositive();
            assertThat(cases.get(alert)[1])
                    .as(alert + ": cases where it stays quiet")
                    .isPositive();
        }
        assertThat(alerts()).as("tests name only existing alerts").containsAll(cases.keySet());
    }

    @Test
    void theIssuesAlertsAreAllThere() {
        assertThat(alerts())
                .contains(
                        "UploadGuardDeadLetterQueueNotEmpty",
                        "UploadGuardEventLagHigh",
                        "UploadGuardEnforcementErrors",
                        "UploadGuardRejectionSpike",
                        "UploadGuardUsersBlockedSpike",
                        "UploadGuardSignerErrors",
                        "UploadGuardNoEventsWhileSigning");
    }

    @Test
    void everyAlertHasSeverityAndASummary() {
        for (Map<?, ?> rule : rules()) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> labels = (Map<Object, Object>) rule.get("labels");
            @SuppressWarnings("unchecked")
            Map<Object, Object> annotations = (Map<Object, Object>) rule.get("annotations");
            assertThat(labels).as(rule.get("alert") + " labels").containsKey("severity");
            assertThat((Object) labels.get("severity")).isIn("page", "warning");
            assertThat(annotations).as(rule.get("alert") + " annotations").containsKeys("summary", "description");
        }
    }

    static List<Map<?, ?>> rules() {
        Map<String, Object> file = new Yaml().load(ProjectFiles.read(RULES));
        List<Map<?, ?>> rules = new ArrayList<>();
        for (Object group : (List<?>) file.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                rules.add((Map<?, ?>) rule);
            }
        }
        return rules;
    }

    static List<String> alerts() {
        return rules().stream()
                .map(r -> (String) r.get("alert"))
                .filter(a -> a != null)
                .toList();
    }
}
