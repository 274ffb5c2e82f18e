package io.uploadguard.enforcer.intake;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.uploadguard.enforcer.enforcement.EventProcessor;
import io.uploadguard.enforcer.scanning.ScanGate;
import io.uploadguard.enforcer.scanning.ScanPendingException;
import io.uploadguard.security.ConditionalOnServerMode;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The worker's SQS consumer. Spring Cloud AWS acknowledges (deletes) a message only when this
 * method returns; a thrown exception leaves it on the queue for redelivery.
 */
@Component
@ConditionalOnServerMode
class EventListener {

    private final EventProcessor processor;
    private final ScanGate scans;

    EventListener(EventProcessor processor, ScanGate scans) {
        this.processor = processor;
        this.scans = scans;
    }

    @SqsListener(
            value = "${uploadguard.events-queue:uploadguard-events}",
            maxConcurrentMessages = "${uploadguard.enforcer.max-concurrent-messages:10}",
            maxMessagesPerPoll = "${uploadguard.enforcer.max-messages-per-poll:10}")
    void onMessage(Message<String> message, Visibility visibility) {
        try {
            processor.process(String.valueOf(message.getHeaders().getId()), message.getPayload());
        } catch (ScanPendingException e) {
            // scan hook (issue 18): held for the scanner; come back later, later each time
            visibility.changeTo(scans.visibilitySecondsAfter(receiveCount(message)));
            throw e;
        }
    }

    private static int receiveCount(Message<String> message) {
        Object count = message.getHeaders().get(SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT);
        try {
            return count == null ? 1 : Integer.parseInt(count.toString());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
