package io.uploadguard.enforcer.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerApplication;
import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.TestEvents;
import io.uploadguard.ledger.UploadStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The enforcer as an SQS-triggered Lambda: a recorded SQS event with one good and one poison
 * record gets a partial batch failure response naming only the poison one.
 */
@Tag("integration")
class EnforcerLambdaTest extends EnforcerIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void onlyTheFailedRecordIsReportedForRedelivery() throws Exception {
        String user = newUser();
        Signed signed = sign(user, "avatar", "image/png", 4321);
        // processed by the function only: the worker's listener takes the real event too, and
        // either way the books must come out the same
        assertThat(put(signed, png(4321))).isEqualTo(200);
        String event;
        try (InputStream in = getClass().getResourceAsStream("/sqs-event-recorded.json")) {
            ObjectNode recorded = (ObjectNode) JSON.readTree(in);
            ((ObjectNode) recorded.get("Records").get(0)).put("body", TestEvents.created(bucket(), signed.key(), 4321));
            event = JSON.writeValueAsString(recorded);
        }
        SandboxSystemProperties.apply();
        System.setProperty("MAIN_CLASS", EnforcerApplication.class.getName());
        FunctionInvoker invoker = new FunctionInvoker("enforceS3Events");

        var out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        JsonNode response = JSON.readTree(out.toByteArray());

        assertThat(response.get("batchItemFailures")).hasSize(1);
        assertThat(response.get("batchItemFailures")
                        .get(0)
                        .get("itemIdentifier")
                        .asString())
                .isEqualTo("POISON-MESSAGE-ID");
        var upload = awaitVerdict(signed.key());
        assertThat(upload.status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(account(user).orElseThrow().get("bytes_used")).isEqualTo(4321L);
    }

    /**
     * The scheduled notification function answers with one round's summary (no channel is
     * configured here, so the round finds nothing to send); the Lambda context has no dispatcher loop.
     */
    @Test
    void notificationsAreDispatchedByTheScheduledFunction() throws Exception {
        SandboxSystemProperties.apply();
        System.setProperty("MAIN_CLASS", EnforcerApplication.class.getName());
        FunctionInvoker invoker = new FunctionInvoker("dispatchNotifications");

        var out = new ByteArrayOutputStream();
        invoker.handleRequest(
                new ByteArrayInputStream("{\"source\":\"aws.events\"}".getBytes(StandardCharsets.UTF_8)), out, null);
        JsonNode response = JSON.readTree(out.toByteArray());

        assertThat(response.get("rounds").asInt()).isEqualTo(1);
        assertThat(response.get("attempted").asInt()).isZero();
    }

    /** The Lambda context is started by the adapter, outside Spring's test support: it reads system properties. */
    static final class SandboxSystemProperties {
        static void apply() {
            sandbox().springProperties().forEach(System::setProperty);
        }
    }
}
