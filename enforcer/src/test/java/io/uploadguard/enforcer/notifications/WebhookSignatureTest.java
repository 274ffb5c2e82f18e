package io.uploadguard.enforcer.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks signature, checked against the specification's own example. */
@Tag("integration")
class WebhookSignatureTest {

    /** From the standard-webhooks reference libraries' tests. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsAsTheSpecificationDoes() {
        byte[] key = WebhookSignature.key(SPEC_SECRET, "test");

        assertThat(WebhookSignature.header(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, List.of(key)))
                .isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void twoSecretsGiveTwoSignaturesSpaceSeparated() {
        byte[] old = WebhookSignature.key(SPEC_SECRET, "test");
        byte[] fresh = WebhookSignature.key(NotificationTests.newSecret(), "test");

        String header = WebhookSignature.header(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, List.of(old, fresh));

        assertThat(header.split(" ")).hasSize(2).startsWith(SPEC_SIGNATURE).allMatch(s -> s.startsWith("v1,"));
    }

    @Test
    void aSecretMustBeWhsecBase64OfEnoughBytesAndIsNeverEchoed() {
        assertThatThrownBy(() -> WebhookSignature.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "p"))
                .hasMessageContaining("whsec_")
                .hasMessageNotContaining("MfKQ9r8G");
        assertThatThrownBy(() -> WebhookSignature.key("whsec_not base64!", "p")).hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> WebhookSignature.key("whsec_c2hvcnQ=", "p")).hasMessageContaining("24 bytes");
    }

    @Test
    void eventBridgeDetailTypesNameTheEvent() {
        assertThat(EventBridgeChannel.detailType("upload.accepted")).isEqualTo("UploadGuard Upload Accepted");
        assertThat(EventBridgeChannel.detailType("user.blocked")).isEqualTo("UploadGuard User Blocked");
    }
}
