package io.uploadguard.ledger;

import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/** The ledger's PostgreSQL: its statements and its transactions, shared by every feature. */
public final class LedgerDatabase {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public LedgerDatabase(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public JdbcClient.StatementSpec sql(String sql) {
        return jdbc.sql(sql);
    }

    /** Runs {@code work} in one transaction; it must answer something (never null). */
    public <T> T inTransaction(TransactionCallback<T> work) {
        return Objects.requireNonNull(transactions.execute(work));
    }
}
