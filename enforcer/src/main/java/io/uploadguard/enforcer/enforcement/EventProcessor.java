package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.intake.MalformedEventException;
import io.uploadguard.enforcer.intake.ObjectEvent;
import io.uploadguard.enforcer.intake.S3EventParser;
import io.uploadguard.enforcer.metrics.EnforcerMetrics;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One SQS message body, from parsing to booked verdicts; shared by the SQS listener and the Lambda
 * function. It returns only when everything in the message is done; any failure is thrown, so the
 * message is not acknowledged and SQS delivers it again (to the dead-letter queue in the end).
 */
@Component
public class EventProcessor {

    private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

    private final S3EventParser parser;
    private final Enforcement enforcement;
    private final EnforcerMetrics metrics;

    EventProcessor(S3EventParser parser, Enforcement enforcement, EnforcerMetrics metrics) {
        this.parser = parser;
        this.enforcement = enforcement;
        this.metrics = metrics;
    }

    public void process(String messageId, String body) {
        metrics.inFlight().incrementAndGet();
        try {
            List<ObjectEvent> events;
            try {
                events = parser.parse(body);
            } catch (MalformedEventException e) {
                metrics.event("malformed", "failed");
                log.warn(
                        "malformed message id={} left for redelivery and the dead-letter queue: {}",
                        messageId,
                        e.getMessage());
                throw e;
            }
            for (ObjectEvent event : events) {
                String kind = kind(event);
                try {
                    Enforcement.Outcome outcome = enforcement.handle(event);
                    metrics.event(kind, outcome.name().toLowerCase(Locale.ROOT));
                } catch (RuntimeException e) {
                    metrics.event(kind, "failed");
                    log.warn(
                            "processing failed message id={} event={}: {}; it will be delivered again",
                            messageId,
                            kind,
                            e.toString());
                    throw e;
                }
            }
        } finally {
            metrics.inFlight().decrementAndGet();
        }
    }

    private static String kind(ObjectEvent event) {
        if (event instanceof ObjectEvent.Created) {
            return "created";
        }
        if (event instanceof ObjectEvent.Removed) {
            return "removed";
        }
        return "test";
    }
}
