package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox as other processes use it: a child JVM, its ready line, its endpoints file, its stop. */
@Tag("integration")
class SandboxProcessTest {

    @Test
    void startsPrintsItsReadyLineServesEveryPartAndStopsCleanly(@TempDir Path work) throws Exception {
        Path endpointsFile;
        try (SandboxProcess sandbox = SandboxProcess.start(work, List.of())) {
            var endpoints = sandbox.endpoints();
            endpointsFile = work.resolve("sandbox-endpoints.json");

            String log = Files.readString(sandbox.logFile());
            assertThat(log)
                    .containsPattern(SandboxMain.READY_PREFIX + " in \\d+\\.\\d s: s3=http://127\\.0\\.0\\.1:\\d+ ");
            assertThat(log).contains("endpoints-file=" + endpointsFile.toAbsolutePath());
            System.out.println(log.lines()
                    .filter(l -> l.startsWith(SandboxMain.READY_PREFIX))
                    .findFirst()
                    .orElseThrow());

            try (var db = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
                    var query = db.createStatement().executeQuery("select current_database(), 6 * 7")) {
                assertThat(query.next()).isTrue();
                assertThat(query.getString(1)).isEqualTo("uploadguard");
                assertThat(query.getInt(2)).isEqualTo(42);
            }
            var http = HttpClient.newHttpClient();
            var s3 = http.send(
                    HttpRequest.newBuilder(URI.create(endpoints.s3Endpoint() + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(s3.statusCode()).as("anonymous requests are refused").isEqualTo(403);
            assertThat(endpoints.eventsQueueUrl()).startsWith(endpoints.sqsEndpoint());
            assertThat(endpoints.deadLetterQueueArn()).endsWith(":" + endpoints.deadLetterQueueName());
        }
        assertThat(endpointsFile).as("the endpoints file goes with the sandbox").doesNotExist();
    }

    @Test
    void aTakenPortFailsTheStartWithAClearMessage(@TempDir Path work) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> SandboxProcess.start(work, List.of("--sqs-port", Integer.toString(port))))
                    .hasMessageContaining("exited with code 2")
                    .hasMessageContaining("port " + port + " on 127.0.0.1 is taken (SQS)");
        }
    }
}
