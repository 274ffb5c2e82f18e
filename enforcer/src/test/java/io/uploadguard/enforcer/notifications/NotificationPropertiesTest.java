package io.uploadguard.enforcer.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code uploadguard.notifications.*} as Spring binds it: defaults, webhooks, and what is refused. */
@Tag("integration")
class NotificationPropertiesTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static NotificationProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("uploadguard.notifications", NotificationProperties.class);
    }

    @Test
    void theDefaultsRetryForADayAndSendNowhere() {
        NotificationProperties properties = bind(Map.of());

        assertThat(properties.horizon()).isEqualTo(Duration.ofHours(24));
        assertThat(properties.allowHttp()).isFalse();
        assertThat(properties.webhooks()).isEmpty();
        assertThat(properties.eventbridge().enabled()).isFalse();
        assertThat(properties.sns().enabled()).isFalse();
    }

    @Test
    void aWebhookWithTwoSecretsAndFiltersBinds() {
        NotificationProperties properties = bind(Map.of(
                "uploadguard.notifications.webhooks[0].url", "https://backend.example/hooks",
                "uploadguard.notifications.webhooks[0].secrets[0]", SECRET,
                "uploadguard.notifications.webhooks[0].secrets[1]", NotificationTests.newSecret(),
                "uploadguard.notifications.webhooks[0].profiles", "avatar,document",
                "uploadguard.notifications.webhooks[0].events", "upload.accepted,user.blocked",
                "uploadguard.notifications.sns.topic-arn", "arn:aws:sns:eu-west-1:1:t"));

        NotificationProperties.Webhook webhook = properties.webhooks().get(0);
        assertThat(webhook.channelName(0)).isEqualTo("webhook-0");
        assertThat(webhook.secrets()).hasSize(2);
        assertThat(webhook.profiles()).containsExactlyInAnyOrder("avatar", "document");
        assertThat(webhook.events()).containsExactlyInAnyOrder("upload.accepted", "user.blocked");
        assertThat(properties.sns().enabled()).isTrue();
    }

    @Test
    void plainHttpOnlyInLocalMode() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "uploadguard.notifications.webhooks[0].url",
                "http://127.0.0.1:8089/hooks",
                "uploadguard.notifications.webhooks[0].secrets[0]",
                SECRET));

        assertThatThrownBy(() -> bind(properties)).rootCause().hasMessageContaining("must use https");
        properties.put("uploadguard.notifications.allow-http", "true");
        assertThat(bind(properties).webhooks()).hasSize(1);
    }

    @Test
    void badSecretsAndUnknownEventsAreRefusedWithoutShowingTheSecret() {
        assertThatThrownBy(() -> bind(Map.of(
                        "uploadguard.notifications.webhooks[0].url", "https://b.example/h",
                        "uploadguard.notifications.webhooks[0].secrets[0]", "hunter2-hunter2-hunter2-hunter2")))
                .rootCause()
                .hasMessageContaining("whsec_")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> bind(Map.of(
                        "uploadguard.notifications.webhooks[0].url", "https://b.example/h",
                        "uploadguard.notifications.webhooks[0].secrets[0]", SECRET,
                        "uploadguard.notifications.webhooks[0].secrets[1]", SECRET,
                        "uploadguard.notifications.webhooks[0].secrets[2]", SECRET)))
                .rootCause()
                .hasMessageContaining("two while rotating");
        assertThatThrownBy(() -> bind(Map.of(
                        "uploadguard.notifications.webhooks[0].url", "https://b.example/h",
                        "uploadguard.notifications.webhooks[0].secrets[0]", SECRET,
                        "uploadguard.notifications.webhooks[0].events", "upload.scanned")))
                .rootCause()
                .hasMessageContaining("unknown event type");
    }
}
