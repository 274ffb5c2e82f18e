package io.uploadguard.enforcer.intake;

import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import io.uploadguard.enforcer.EnforcerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.retry.backoff.ExponentialBackOffPolicy;

/**
 * How the listener polls SQS.
 *
 * <ul>
 *   <li>How soon it polls again after SQS could not be reached. Spring Cloud AWS backs off up to
 *       10 s by default, so an outage of a few seconds kept the worker idle for up to 10 s more
 *       after SQS was back (measured: 17 s from recovery to the backlog settled). A shorter ceiling
 *       costs a few failed polls a second at most, while SQS is down.
 *   <li>When it polls: as soon as a message slot is free ({@link InFlightMessageLimit}), not once a
 *       whole poll's worth of slots is.
 *   <li>On which threads messages run: the library's pool of one platform thread per message in
 *       flight, or virtual threads ({@code uploadguard.enforcer.virtual-threads}, JDK 21+).
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class QueuePollingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(QueuePollingConfiguration.class);

    static boolean virtualThreads(EnforcerProperties properties) {
        if (!properties.enforcer().virtualThreads()) {
            return false;
        }
        if (Runtime.version().feature() < 21) {
            log.warn(
                    "uploadguard.enforcer.virtual-threads=true needs JDK 21 or newer; this is {}: platform threads",
                    Runtime.version());
            return false;
        }
        return true;
    }

    @Bean
    static BeanPostProcessor pollingOptions(
            org.springframework.beans.factory.ObjectProvider<EnforcerProperties> properties) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof SqsMessageListenerContainerFactory<?> factory) {
                    ExponentialBackOffPolicy backOff = new ExponentialBackOffPolicy();
                    backOff.setInitialInterval(200);
                    backOff.setMultiplier(2);
                    backOff.setMaxInterval(
                            properties.getObject().enforcer().pollRetryMax().toMillis());
                    boolean virtual = virtualThreads(properties.getObject());
                    factory.configure(options -> {
                        options.pollBackOffPolicy(backOff).backPressureHandlerFactory(InFlightMessageLimit.factory());
                        if (virtual) {
                            SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("sqs-message-");
                            executor.setVirtualThreads(true);
                            options.componentsTaskExecutor(executor);
                        }
                    });
                }
                return bean;
            }
        };
    }
}
