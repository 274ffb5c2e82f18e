package io.uploadguard.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.QuotaKind;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.UploadProfiles;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;

@Tag("integration")
@ExtendWith({SandboxExtension.class, LedgerDatabaseExtension.class})
class LedgerConfigurationTest {

    @Test
    void givesAWorkingLedgerOverTheApplicationsDataSource(SandboxEndpoints endpoints, DataSource migrated) {
        // the shared pool, asked for so the schema is there; the context gets its own
        DataSource dataSource = new SimpleDriverDataSource(
                new org.postgresql.Driver(), endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
        new ApplicationContextRunner()
                .withBean(DataSource.class, () -> dataSource)
                .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(dataSource))
                .withUserConfiguration(LedgerConfiguration.class)
                .withPropertyValues("uploadguard.quota.defaults.max-objects=1")
                .run(context -> {
                    QuotaLedger ledger = context.getBean(QuotaLedger.class);
                    Quota quota = context.getBean(QuotaPolicy.class).defaults();
                    assertThat(context.getBean(UploadProfiles.class).profile("avatar"))
                            .isPresent();
                    assertThat(context.getBean(KeyLayout.class)).isEqualTo(KeyLayout.DEFAULT);
                    assertThat(context.getBean(AdminLedger.class)).isNotNull();

                    String user = LedgerTests.newUser("config");
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    ReserveOutcome first =
                            ledger.reserve(LedgerTests.request(user, 10, now.plusSeconds(300)), quota, now);
                    ReserveOutcome second =
                            ledger.reserve(LedgerTests.request(user, 10, now.plusSeconds(300)), quota, now);
                    assertThat(first).isInstanceOf(ReserveOutcome.Reserved.class);
                    assertThat(second).isEqualTo(new ReserveOutcome.QuotaExceeded(QuotaKind.OBJECTS, 1, 2));
                });
    }
}
