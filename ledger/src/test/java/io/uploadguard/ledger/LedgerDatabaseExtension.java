package io.uploadguard.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Gives ledger tests the sandbox's PostgreSQL, migrated once per test run, as a {@link QuotaLedger},
 * an {@link AdminLedger} or a {@link DataSource} parameter. The pool lives in JUnit's root store,
 * which closes it when the run ends. Every test class shares it, so tests keep apart by using users
 * of their own.
 */
public final class LedgerDatabaseExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LedgerDatabaseExtension.class);
    private static final Set<Class<?>> RESOLVES = Set.of(QuotaLedger.class, AdminLedger.class, DataSource.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return RESOLVES.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        DataSource dataSource = context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(Pool.class, key -> Pool.open(SandboxProcess.shared()), Pool.class)
                .dataSource();
        Class<?> type = parameter.getParameter().getType();
        if (type == QuotaLedger.class) {
            return new QuotaLedger(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource));
        }
        if (type == AdminLedger.class) {
            return new AdminLedger(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource));
        }
        return dataSource;
    }

    /** The shared pool; the root store closes it at the end of the run. */
    private record Pool(HikariDataSource dataSource) implements AutoCloseable {

        static Pool open(SandboxEndpoints endpoints) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("ledger-tests");
            config.setJdbcUrl(endpoints.jdbcUrl());
            config.setUsername(endpoints.dbUser());
            config.setPassword(endpoints.dbPassword());
            config.setMaximumPoolSize(20);
            HikariDataSource dataSource = new HikariDataSource(config);
            Flyway.configure().dataSource(dataSource).load().migrate();
            return new Pool(dataSource);
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}
