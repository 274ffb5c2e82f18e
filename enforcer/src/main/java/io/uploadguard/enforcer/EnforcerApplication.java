package io.uploadguard.enforcer;

import io.uploadguard.enforcer.enforcement.EnforcementHooks;
import io.uploadguard.ledger.LedgerConfiguration;
import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.ServiceWebConfiguration;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The enforcer: S3 events from SQS in, verdicts acted on and booked. Also an SQS-triggered Lambda.
 * Its HTTP port also serves the admin API ({@code /admin/**}, admin role required).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({LedgerConfiguration.class, ServiceWebConfiguration.class})
// the scan above covers this package only; the admin API's token settings live in the security module
@EnableConfigurationProperties(AuthProperties.class)
public class EnforcerApplication {

    public static void main(String[] args) {
        SpringApplication.run(EnforcerApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Called between acting on a verdict and booking it; tests use it to simulate a crash there. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    EnforcementHooks enforcementHooks() {
        return new EnforcementHooks() {};
    }
}
