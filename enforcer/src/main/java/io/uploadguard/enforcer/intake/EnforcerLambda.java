package io.uploadguard.enforcer.intake;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.uploadguard.enforcer.enforcement.EventProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The enforcer as an SQS-triggered AWS Lambda function. It answers with a partial batch failure
 * response, so only the records that failed are delivered again (the event source mapping must
 * have {@code ReportBatchItemFailures} on).
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
}
