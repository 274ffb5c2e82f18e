package io.uploadguard.enforcer.notifications;

import java.util.Map;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Notifications on the Lambda path: the enforcer's artifact with
 * {@code SPRING_CLOUD_FUNCTION_DEFINITION=dispatchNotifications}, invoked by an EventBridge
 * schedule, delivers what is due in rounds until a round comes back short or the time budget is
 * spent (the next invocation carries on; an interrupted round loses nothing, its claims expire).
 */
@Configuration(proxyBeanMethods = false)
class NotificationLambda {

    /** Leaves room under the function's timeout (60 s in the CDK stack) for a round in flight. */
    static final long BUDGET_MILLIS = 40_000;

    /** What one scheduled invocation did, the function's answer. */
    record DispatchSummary(int attempted, int rounds, int pruned) {}

    /** Takes the EventBridge scheduled event as a map: nothing in it matters but that it came. */
    @Bean
    Function<Map<String, Object>, DispatchSummary> dispatchNotifications(
            NotificationDispatcher dispatcher, NotificationProperties properties) {
        return scheduledEvent -> {
            long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
            int attempted = 0;
            int rounds = 0;
            int last;
            do {
                last = dispatcher.dispatchOnce();
                attempted += last;
                rounds++;
            } while (last >= properties.batchSize() && System.currentTimeMillis() < deadline);
            // the loop prunes on its metrics timer; here each invocation prunes a batch
            int pruned = dispatcher.prune();
            return new DispatchSummary(attempted, rounds, pruned);
        };
    }
}
