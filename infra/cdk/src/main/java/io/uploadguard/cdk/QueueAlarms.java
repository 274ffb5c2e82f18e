package io.uploadguard.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;

/**
 * The alarm topic and the two queue alarms: a dead letter is waiting, or the oldest event waits
 * too long (the enforcer is down or too slow). Both notify on alarm and on recovery.
 *
 * <p>Resources are created with the stack as their scope, so their logical ids stay what they were
 * before this class existed.
 */
final class QueueAlarms {

    private final Topic topic;

    QueueAlarms(Stack stack, UploadGuardSettings settings, EventQueues queues) {
        topic = Topic.Builder.create(stack, "Alarms")
                .displayName("UploadGuard alarms")
                .enforceSsl(true)
                .build();
        if (settings.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }
        alarm(Alarm.Builder.create(stack, "DeadLetterQueueNotEmpty")
                .alarmDescription("UploadGuard: events that failed " + settings.maxReceiveCount()
                        + " times are waiting in " + settings.deadLetterQueueName() + "; see docs/infra.md")
                .metric(queues.deadLetters().metricApproximateNumberOfMessagesVisible(everyMinuteMaximum()))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1));
        alarm(Alarm.Builder.create(stack, "OldestEventTooOld")
                .alarmDescription("UploadGuard: the oldest event in " + settings.eventsQueueName()
                        + " waits longer than " + settings.oldestMessageAgeAlarmSeconds()
                        + " s: the enforcer is down or too slow")
                .metric(queues.events().metricApproximateAgeOfOldestMessage(everyMinuteMaximum()))
                .threshold(settings.oldestMessageAgeAlarmSeconds())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(2));
    }

    Topic topic() {
        return topic;
    }

    /** A queue that holds nothing sends no data points: that is not a breach. */
    private void alarm(Alarm.Builder builder) {
        Alarm alarm = builder.treatMissingData(TreatMissingData.NOT_BREACHING).build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
    }

    private static MetricOptions everyMinuteMaximum() {
        return MetricOptions.builder()
                .period(Duration.minutes(1))
                .statistic("Maximum")
                .build();
    }
}
