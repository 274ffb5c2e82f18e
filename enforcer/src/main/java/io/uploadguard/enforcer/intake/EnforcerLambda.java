package io.uploadguard.enforcer.intake;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.uploadguard.enforcer.enforcement.EventProcessor;
import io.uploadguard.enforcer.enforcement.ExpiredReservations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The enforcer as an SQS-triggered AWS Lambda function. It answers with a partial batch failure
 * response, so only the records that failed are delivered again (the event source mapping must
 * have {@code ReportBatchItemFailures} on).
 *
 * <p>The same artifact serves a second function, selected with
 * {@code SPRING_CLOUD_FUNCTION_DEFINITION=releaseExpiredReservations}: invoked by an EventBridge
 * schedule, it releases expired reservations, which the worker does on a timer.
 */
@Configuration
class EnforcerLambda {

    @Bean
    Function<SQSEvent, SQSBatchResponse> enforceS3Events(EventProcessor processor) {
        return event -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            if (event.getRecords() != null) {
                for (SQSEvent.SQSMessage message : event.getRecords()) {
                    try {
                        processor.process(message.getMessageId(), message.getBody());
                    } catch (RuntimeException e) {
                        failures.add(SQSBatchResponse.BatchItemFailure.builder()
                                .withItemIdentifier(message.getMessageId())
                                .build());
                    }
                }
            }
            return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
        };
    }

    /** What a scheduled release did, the function's answer. */
    record ReleaseSummary(int released) {}

    /** Takes the EventBridge scheduled event as a map: nothing in it matters but that it came. */
    @Bean
    Function<Map<String, Object>, ReleaseSummary> releaseExpiredReservations(ExpiredReservations reservations) {
        return scheduledEvent -> new ReleaseSummary(reservations.release());
    }
}
