package io.uploadguard.enforcer.notifications;

import io.micrometer.core.instrument.MeterRegistry;
import io.uploadguard.ledger.notifications.DeliveryAdmin;
import io.uploadguard.ledger.notifications.DeliveryQueue;
import io.uploadguard.security.ConditionalOnServerMode;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** The dispatcher and what it works with, from {@link NotificationProperties}. */
@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    @Bean
    DeliveryQueue deliveryQueue(DataSource dataSource, PlatformTransactionManager transactionManager) {
        return new DeliveryQueue(JdbcClient.create(dataSource), transactionManager);
    }

    @Bean
    DeliveryAdmin deliveryAdmin(DataSource dataSource, PlatformTransactionManager transactionManager) {
        return new DeliveryAdmin(JdbcClient.create(dataSource), transactionManager);
    }

    @Bean(destroyMethod = "close")
    NotificationChannels notificationChannels(
            NotificationProperties properties,
            Clock clock,
            ObjectProvider<AwsRegionProvider> region,
            ObjectProvider<AwsCredentialsProvider> credentials) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return NotificationChannels.from(
                properties,
                http,
                clock,
                region.getIfAvailable(DefaultAwsRegionProviderChain::new),
                credentials.getIfAvailable(
                        () -> DefaultCredentialsProvider.builder().build()));
    }

    @Bean
    NotificationMetrics notificationMetrics(MeterRegistry registry, NotificationChannels channels) {
        return new NotificationMetrics(registry, channels.names());
    }

    /** Its sender threads are its own: an {@code Executor} bean would replace Boot's task executor. */
    @Bean(destroyMethod = "close")
    NotificationDispatcher notificationDispatcher(
            DeliveryQueue queue,
            DeliveryAdmin admin,
            NotificationChannels channels,
            NotificationProperties properties,
            NotificationMetrics metrics,
            Clock clock) {
        return new NotificationDispatcher(queue, admin, channels, properties, metrics, senders(properties), clock);
    }

    static ExecutorService senders(NotificationProperties properties) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(properties.concurrency(), task -> {
            Thread thread = new Thread(task, "notification-sender-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Only in server mode: a Lambda function lives for one invocation, so a loop there would send
     * half a batch and freeze; on the Lambda path {@link NotificationLambda} runs rounds on a schedule.
     */
    @Bean
    @ConditionalOnServerMode
    @ConditionalOnProperty(name = "uploadguard.notifications.dispatch", havingValue = "true", matchIfMissing = true)
    DispatcherLoop dispatcherLoop(NotificationDispatcher dispatcher, NotificationProperties properties) {
        return new DispatcherLoop(dispatcher, properties);
    }
}
