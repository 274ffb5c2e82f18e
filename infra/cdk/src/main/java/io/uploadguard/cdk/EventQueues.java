package io.uploadguard.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/**
 * The events queue the upload bucket notifies, its dead-letter queue, the notifications and the
 * queue policy that lets only this bucket (and the admin, for redrives) send.
 *
 * <p>Resources are created with the stack as their scope, so their logical ids stay what they were
 * before this class existed.
 */
final class EventQueues {

    private final Queue deadLetters;
    private final Queue events;

    EventQueues(Stack stack, UploadGuardSettings settings) {
        deadLetters = encryptedQueue(stack, "EventsDeadLetterQueue", settings)
                .queueName(settings.deadLetterQueueName())
                .retentionPeriod(Duration.days(settings.deadLetterRetentionDays()))
                .build();
        events = encryptedQueue(stack, "EventsQueue", settings)
                .queueName(settings.eventsQueueName())
                .visibilityTimeout(Duration.seconds(settings.visibilityTimeoutSeconds()))
                .retentionPeriod(Duration.days(settings.eventsRetentionDays()))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters)
                        .maxReceiveCount(settings.maxReceiveCount())
                        .build())
                .build();
    }

    Queue events() {
        return events;
    }

    Queue deadLetters() {
        return deadLetters;
    }

    /**
     * Created and removed under the incoming prefix, and removed under the served prefix (deleting
     * an accepted object gives its bytes back to its owner). The enforcer's own writes to the
     * served and quarantine prefixes send nothing, so enforcement never triggers itself.
     */
    void notifiedBy(UploadStorage storage, UploadGuardSettings settings, ServiceRoles roles) {
        SqsDestination destination = new SqsDestination(events);
        for (Notification n : List.of(
                new Notification(EventType.OBJECT_CREATED, settings.incomingPrefix()),
                new Notification(EventType.OBJECT_REMOVED, settings.incomingPrefix()),
                new Notification(EventType.OBJECT_REMOVED, settings.servedPrefix()))) {
            storage.uploads()
                    .addEventNotification(
                            n.type(),
                            destination,
                            NotificationKeyFilter.builder().prefix(n.prefix()).build());
        }

        // S3 (this bucket only) may send; CDK's SqsDestination adds the matching Allow
        Map<String, Object> notFromThisBucketNorAdmin = new LinkedHashMap<>();
        notFromThisBucketNorAdmin.put("aws:SourceArn", storage.uploads().getBucketArn());
        // the admin may move messages back from the dead-letter queue (a redrive sends as the caller)
        notFromThisBucketNorAdmin.put("aws:PrincipalArn", roles.admin().getRoleArn());
        events.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("DenySendingExceptFromTheUploadBucket")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(events.getQueueArn()))
                .conditions(Map.of("ArnNotEquals", notFromThisBucketNorAdmin))
                .build());
    }

    private record Notification(EventType type, String prefix) {}

    private static Queue.Builder encryptedQueue(Stack stack, String id, UploadGuardSettings settings) {
        return Queue.Builder.create(stack, id)
                .maxMessageSizeBytes(settings.maxMessageSizeBytes())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .removalPolicy(RemovalPolicy.RETAIN);
    }
}
