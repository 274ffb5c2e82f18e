package io.uploadguard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml is valid ({@code docker-compose config}, which needs no Docker engine; .ci/run
 * installs Debian's docker-compose) and wires Prometheus and Grafana to the files in this module.
 * The AWS-facing part of the file is compared with the CDK stack in infra/cdk
 * (LocalStackConsistencyTest).
 */
@Tag("integration")
class DockerComposeTest {

    static final Path COMPOSE = ProjectFiles.root().resolve("docker-compose.yml");

    @Test
    void dockerComposeAcceptsTheFile() {
        Optional<Path> compose = ProjectFiles.tool("DOCKER_COMPOSE", "docker-compose");
        assumeTrue(
                compose.isPresent(),
                "docker-compose not found (set DOCKER_COMPOSE or install Debian's "
                        + "docker-compose package, as .ci/run does)");
        ProjectFiles.Result result = ProjectFiles.run(
                ProjectFiles.root(), List.of(compose.get().toString(), "-f", COMPOSE.toString(), "config", "-q"));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) {
        Map<String, Object> file = new Yaml().load(ProjectFiles.read(COMPOSE));
        Map<String, Object> services = (Map<String, Object>) file.get("services");
        assertThat(services).as("services in docker-compose.yml").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStackHasEveryPart() {
        Map<String, Object> file = new Yaml().load(ProjectFiles.read(COMPOSE));
        assertThat((Map<String, Object>) file.get("services"))
                .containsKeys("localstack", "postgres", "signer", "enforcer", "clamav", "prometheus", "grafana");
    }

    @Test
    void prometheusLoadsTheRulesAndScrapesBothServices() {
        @SuppressWarnings("unchecked")
        List<Object> volumes = (List<Object>) service("prometheus").get("volumes");
        assertThat(volumes)
                .contains(
                        "./infra/observability/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                        "./infra/observability/prometheus/rules:/etc/prometheus/rules:ro");
        Map<String, Object> config =
                new Yaml().load(ProjectFiles.read(ProjectFiles.observability().resolve("prometheus/prometheus.yml")));
        assertThat(String.valueOf(config.get("rule_files"))).contains("/etc/prometheus/rules/*.yml");
        String scrape = config.get("scrape_configs").toString();
        assertThat(scrape).contains("signer:8080", "enforcer:8081", "/actuator/prometheus");
        assertThat(ports("signer")).anyMatch(p -> p.endsWith(":8080"));
        assertThat(ports("enforcer")).anyMatch(p -> p.endsWith(":8081"));
    }

    @Test
    void grafanaProvisionsTheDashboard() {
        @SuppressWarnings("unchecked")
        List<Object> volumes = (List<Object>) service("grafana").get("volumes");
        assertThat(volumes)
                .contains(
                        "./infra/observability/grafana/provisioning:/etc/grafana/provisioning:ro",
                        "./infra/observability/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat(ProjectFiles.read(
                        ProjectFiles.observability().resolve("grafana/provisioning/dashboards/uploadguard.yml")))
                .contains("path: /var/lib/grafana/dashboards");
        assertThat(ProjectFiles.read(
                        ProjectFiles.observability().resolve("grafana/provisioning/datasources/prometheus.yml")))
                .contains("url: http://prometheus:9090");
    }

    private static List<String> ports(String service) {
        return ((List<?>) service(service).get("ports"))
                .stream().map(String::valueOf).toList();
    }
}
