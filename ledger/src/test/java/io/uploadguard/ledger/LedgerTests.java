package io.uploadguard.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The sandbox's PostgreSQL, migrated once per test JVM. Every test class shares it, so tests keep
 * apart by using users of their own.
 */
public final class LedgerTests {

    public static final String BUCKET = "ledger-tests";
    public static final String PNG = "image/png";

    private static HikariDataSource dataSource;

    private LedgerTests() {}

    public static synchronized DataSource dataSource(SandboxEndpoints endpoints) {
        if (dataSource == null) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("ledger-tests");
            config.setJdbcUrl(endpoints.jdbcUrl());
            config.setUsername(endpoints.dbUser());
            config.setPassword(endpoints.dbPassword());
            config.setMaximumPoolSize(20);
            dataSource = new HikariDataSource(config);
            Flyway.configure().dataSource(dataSource).load().migrate();
        }
        return dataSource;
    }

    public static QuotaLedger ledger(SandboxEndpoints endpoints) {
        DataSource ds = dataSource(endpoints);
        return new QuotaLedger(JdbcClient.create(ds), new DataSourceTransactionManager(ds));
    }

    public static AdminLedger admin(SandboxEndpoints endpoints) {
        DataSource ds = dataSource(endpoints);
        return new AdminLedger(JdbcClient.create(ds), new DataSourceTransactionManager(ds));
    }

    public static String newUser(String label) {
        return label + "-" + UUID.randomUUID();
    }

    public static Quota quota(long maxBytes, long maxObjects) {
        return new Quota(maxBytes, maxObjects, 1000, 3, Duration.ofHours(1));
    }

    public static ReservationRequest request(String userId, long size, Instant expiresAt) {
        return new ReservationRequest(
                UUID.randomUUID(),
                userId,
                "avatar",
                BUCKET,
                KeyLayout.DEFAULT.newIncomingKey(userId, PNG),
                PNG,
                size,
                null,
                "me.png",
                expiresAt);
    }

    /** Reserves and returns the upload, failing the test if the ledger refused. */
    public static Upload reserved(QuotaLedger ledger, String userId, long size, Quota quota, Instant now) {
        ReserveOutcome outcome = ledger.reserve(request(userId, size, now.plus(Duration.ofMinutes(5))), quota, now);
        if (!(outcome instanceof ReserveOutcome.Reserved reserved)) {
            throw new AssertionError("expected a reservation, got " + outcome);
        }
        return reserved.upload();
    }

    /** Everything the ledger holds about a user, to compare before and after a call. */
    public static Books books(QuotaLedger ledger, String userId) {
        return new Books(ledger.account(userId), ledger.history(userId, 10_000, null));
    }

    public record Books(Optional<Account> account, List<Upload> uploads) {}
}
