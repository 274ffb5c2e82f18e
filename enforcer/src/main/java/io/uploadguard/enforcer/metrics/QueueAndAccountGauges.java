package io.uploadguard.enforcer.metrics;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.security.ConditionalOnServerMode;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Polls what no event tells: the dead-letter queue's depth and how many users are blocked now. */
@Component
@ConditionalOnServerMode
class QueueAndAccountGauges {

    private static final Logger log = LoggerFactory.getLogger(QueueAndAccountGauges.class);

    private final SqsAsyncClient sqs;
    private final JdbcClient jdbc;
    private final EnforcerProperties properties;
    private final EnforcerMetrics metrics;
    private final Clock clock;
    private volatile String deadLetterQueueUrl;

    QueueAndAccountGauges(
            SqsAsyncClient sqs, JdbcClient jdbc, EnforcerProperties properties, EnforcerMetrics metrics, Clock clock) {
        this.sqs = sqs;
        this.jdbc = jdbc;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${uploadguard.enforcer.dead-letter-poll-interval:30s}", initialDelay = 0)
    void poll() {
        try {
            if (deadLetterQueueUrl == null) {
                deadLetterQueueUrl = sqs.getQueueUrl(r -> r.queueName(properties.deadLetterQueue()))
                        .join()
                        .queueUrl();
            }
            String depth = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterQueueUrl)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .join()
                    .attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            metrics.deadLetterDepth(Long.parseLong(depth));
        } catch (RuntimeException e) {
            log.warn("cannot read the dead-letter queue depth of {}: {}", properties.deadLetterQueue(), e.toString());
        }
        try {
            Long blocked = jdbc.sql("select count(*) from accounts where blocked_until > ?")
                    .param(Timestamp.from(clock.instant()))
                    .query(Long.class)
                    .single();
            metrics.usersBlocked(blocked);
        } catch (RuntimeException e) {
            log.warn("cannot count blocked users: {}", e.toString());
        }
    }
}
