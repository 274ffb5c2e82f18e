package io.uploadguard.enforcer.intake;

import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import io.uploadguard.enforcer.EnforcerProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class QueuePollingConfiguration {

    @Bean
    static BeanPostProcessor pollBackOff(
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
                    factory.configure(options -> options.pollBackOffPolicy(backOff)
                            .backPressureHandlerFactory(InFlightMessageLimit.factory()));
                }
                return bean;
            }
        };
    }
}
