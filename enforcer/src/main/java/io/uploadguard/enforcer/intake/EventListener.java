package io.uploadguard.enforcer.intake;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.uploadguard.enforcer.enforcement.EventProcessor;
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

    EventListener(EventProcessor processor) {
        this.processor = processor;
    }

    @SqsListener(
            value = "${uploadguard.events-queue:uploadguard-events}",
            maxConcurrentMessages = "${uploadguard.enforcer.max-concurrent-messages:10}",
            maxMessagesPerPoll = "${uploadguard.enforcer.max-messages-per-poll:10}")
    void onMessage(Message<String> message) {
        processor.process(String.valueOf(message.getHeaders().getId()), message.getPayload());
    }
}
