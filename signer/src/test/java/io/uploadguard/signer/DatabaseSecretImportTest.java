package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The database credentials in AWS: the CDK stack gives a Lambda only
 * {@code SPRING_CONFIG_IMPORT=aws-secretsmanager:<secret ARN>?prefix=spring.datasource.}; Spring Cloud
 * AWS then reads the secret at start and maps its {@code username} and {@code password} keys to
 * {@code spring.datasource.*}. Without that setting nothing is read.
 *
 * <p>There is no local Secrets Manager in the sandbox: a small HTTP server answers GetSecretValue
 * as the service does (JSON protocol), and records what it was asked.
 */
@Tag("integration")
class DatabaseSecretImportTest {

    static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:uploadguard-db-AbCdEf";

    /** The keys of the secret RDS generates for a cluster. */
    static final String SECRET_STRING = "{\"engine\":\"postgres\",\"host\":\"db.internal\",\"port\":5432,"
            + "\"dbname\":\"uploadguard\",\"username\":\"uploadguard\",\"password\":\"from-the-secret\"}";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer secretsManager;

    @Configuration(proxyBeanMethods = false)
    static class NothingButTheEnvironment {}

    @BeforeEach
    void startSecretsManager() throws IOException {
        secretsManager = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        secretsManager.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
            String answer = "{\"ARN\":\"" + SECRET_ARN + "\",\"Name\":\"uploadguard-db\",\"VersionId\":\"v1\","
                    + "\"SecretString\":" + quoted(SECRET_STRING) + ",\"VersionStages\":[\"AWSCURRENT\"]}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        secretsManager.start();
    }

    @AfterEach
    void stopSecretsManager() {
        secretsManager.stop(0);
    }

    @Test
    void theImportMapsTheSecretsKeysToTheDatasource() {
        try (ConfigurableApplicationContext context =
                start("--spring.config.import=aws-secretsmanager:" + SECRET_ARN + "?prefix=spring.datasource.")) {
            Environment environment = context.getEnvironment();
            assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("uploadguard");
            assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("from-the-secret");
        }
        assertThat(requests)
                .singleElement()
                .satisfies(request -> assertThat(request)
                        .startsWith("secretsmanager.GetSecretValue ")
                        .contains("\"SecretId\":\"" + SECRET_ARN + "\""));
    }

    @Test
    void withoutTheImportNothingIsRead() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getEnvironment().getProperty("spring.datasource.password"))
                    .isNull();
        }
        assertThat(requests).isEmpty();
    }

    private ConfigurableApplicationContext start(String... arguments) {
        String endpoint = "http://127.0.0.1:" + secretsManager.getAddress().getPort();
        return new SpringApplicationBuilder(NothingButTheEnvironment.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.cloud.aws.secretsmanager.endpoint=" + endpoint,
                        "spring.cloud.aws.region.static=eu-west-1",
                        "spring.cloud.aws.credentials.access-key=test",
                        "spring.cloud.aws.credentials.secret-key=test")
                .run(arguments);
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
