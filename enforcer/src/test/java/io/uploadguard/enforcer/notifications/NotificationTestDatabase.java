package io.uploadguard.enforcer.notifications;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.notifications.DeliveryAdmin;
import io.uploadguard.ledger.notifications.DeliveryQueue;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The sandbox's real PostgreSQL, migrated, and the ledger over it, for the dispatcher tests that
 * need no Spring context (and so start no second enforcer on the sandbox's queue). One per JVM.
 */
final class NotificationTestDatabase {

    private static NotificationTestDatabase shared;

    final HikariDataSource dataSource;
    final JdbcClient jdbc;
    final QuotaLedger ledger;
    final AdminLedger admin;
    final DeliveryQueue queue;
    final DeliveryAdmin deliveries;
    final DataSourceTransactionManager transactions;

    private NotificationTestDatabase() {
        Map<String, String> properties = SandboxProcess.shared().springProperties();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(properties.get("spring.datasource.url"));
        config.setUsername(properties.get("spring.datasource.username"));
        config.setPassword(properties.get("spring.datasource.password"));
        config.setMaximumPoolSize(6);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).load().migrate();
        transactions = new DataSourceTransactionManager(dataSource);
        jdbc = JdbcClient.create(dataSource);
        ledger = new QuotaLedger(jdbc, transactions);
        admin = new AdminLedger(jdbc, transactions);
        queue = new DeliveryQueue(jdbc, transactions);
        deliveries = new DeliveryAdmin(jdbc, transactions);
    }

    static synchronized NotificationTestDatabase shared() {
        if (shared == null) {
            shared = new NotificationTestDatabase();
        }
        return shared;
    }
}
