package io.uploadguard.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sns.Topic;

/**
 * The AWS channels of verdict notifications ({@code notificationsEventBus},
 * {@code notificationsTopic}): the bus and the topic, the grants that let a role put events on that
 * bus and publish to that topic only, and the enforcer's settings naming them.
 */
final class NotificationTargets {

    private final IEventBus bus;
    private final Topic topic;

    NotificationTargets(Stack stack, NotificationSettings settings) {
        if (settings.eventBus() == null) {
            bus = null;
        } else if (NotificationSettings.CREATE.equals(settings.eventBus())) {
            bus = EventBus.Builder.create(stack, "NotificationBus")
                    .eventBusName(stack.getStackName() + "-notifications")
                    .build();
        } else {
            bus = EventBus.fromEventBusName(stack, "NotificationBus", settings.eventBus());
        }
        topic = settings.topic()
                ? Topic.Builder.create(stack, "NotificationTopic")
                        .displayName("UploadGuard verdict notifications")
                        .enforceSsl(true)
                        .build()
                : null;
        if (bus != null) {
            CfnOutput.Builder.create(stack, "NotificationBusName")
                    .value(bus.getEventBusName())
                    .build();
        }
        if (topic != null) {
            CfnOutput.Builder.create(stack, "NotificationTopicArn")
                    .value(topic.getTopicArn())
                    .build();
        }
    }

    boolean any() {
        return bus != null || topic != null;
    }

    /** {@code events:PutEvents} on this bus and {@code sns:Publish} on this topic, nothing wider. */
    void grantSend(Role role) {
        if (bus != null) {
            allow(role, "PutNotificationEvents", "events:PutEvents", bus.getEventBusArn());
        }
        if (topic != null) {
            allow(role, "PublishNotifications", "sns:Publish", topic.getTopicArn());
        }
    }

    private static void allow(Role role, String sid, String action, String resource) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of(action))
                .resources(List.of(resource))
                .build());
    }

    /** The enforcer's {@code uploadguard.notifications.eventbridge.bus-name} and {@code sns.topic-arn}. */
    Map<String, String> enforcerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (bus != null) {
            env.put("UPLOADGUARD_NOTIFICATIONS_EVENTBRIDGE_BUSNAME", bus.getEventBusName());
        }
        if (topic != null) {
            env.put("UPLOADGUARD_NOTIFICATIONS_SNS_TOPICARN", topic.getTopicArn());
        }
        return env;
    }
}
