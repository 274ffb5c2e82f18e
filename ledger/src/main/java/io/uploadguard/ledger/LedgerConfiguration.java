package io.uploadguard.ledger;

import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.booking.MultipartLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.UploadProfiles;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What signer and enforcer share: {@code @Import} it. Binds the upload profiles, quotas and key
 * layout, and gives the {@link QuotaLedger}, {@link MultipartLedger} and {@link AdminLedger} over the application's DataSource. Boot's Flyway
 * support applies the schema from {@code classpath:db/migration}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({UploadProfiles.class, QuotaPolicy.class, KeyLayout.class})
public class LedgerConfiguration {

    @Bean
    QuotaLedger quotaLedger(DataSource dataSource, PlatformTransactionManager transactionManager) {
        return new QuotaLedger(JdbcClient.create(dataSource), transactionManager);
    }

    @Bean
    MultipartLedger multipartLedger(DataSource dataSource, PlatformTransactionManager transactionManager) {
        return new MultipartLedger(JdbcClient.create(dataSource), transactionManager);
    }

    @Bean
    AdminLedger adminLedger(DataSource dataSource, PlatformTransactionManager transactionManager) {
        return new AdminLedger(JdbcClient.create(dataSource), transactionManager);
    }
}
