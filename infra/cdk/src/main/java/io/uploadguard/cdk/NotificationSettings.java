package io.uploadguard.cdk;

import java.util.Map;

/**
 * Where the enforcer sends verdict notifications on AWS, besides the webhooks its own configuration
 * names (docs/infra.md, "Notifications").
 *
 * @param eventBus {@code create} for a bus of the stack's own, the name of an existing bus (e.g.
 *     {@code default}), or {@code null}: no EventBridge channel
 * @param topic create an SNS topic and publish every notification to it
 * @param dispatchSchedule EventBridge schedule of the function that dispatches notifications
 *     ({@code compute=lambda}, with a bus or a topic)
 */
record NotificationSettings(String eventBus, boolean topic, String dispatchSchedule) {

    static final String CREATE = "create";

    static final Map<String, String> DEFAULTS = ContextValues.defaults(
            "notificationsEventBus", "",
            "notificationsTopic", "false",
            "notificationsDispatchSchedule", "rate(1 minute)");

    NotificationSettings {
        if (eventBus != null && !eventBus.matches("[A-Za-z0-9._\\-/]{1,256}")) {
            throw new IllegalArgumentException(
                    "notificationsEventBus must be 'create' or the name of an event bus: " + eventBus);
        }
    }

    static NotificationSettings from(ContextValues v) {
        return new NotificationSettings(
                v.optional("notificationsEventBus"),
                v.bool("notificationsTopic"),
                v.text("notificationsDispatchSchedule"));
    }

    /** Any AWS channel at all: then the enforcer gets grants and, on Lambda, a dispatch function. */
    boolean any() {
        return eventBus != null || topic;
    }
}
