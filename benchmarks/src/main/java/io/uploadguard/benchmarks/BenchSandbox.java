package io.uploadguard.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * A sandbox (real PostgreSQL, S3 and SQS on loopback) for one benchmark trial, with the ledger
 * schema migrated and a connection pool like the signer's (Hikari, Spring's JDBC transaction
 * manager, as Spring Boot wires them).
 */
public final class BenchSandbox implements AutoCloseable {

    /** The sandbox's folder (and so its PostgreSQL's data folder) starts with this. */
    public static final String WORK_DIR_PREFIX = "uploadguard-bench-sandbox";

    private final SandboxProcess process;
    private final HikariDataSource dataSource;
    private final Path workDir;

    private BenchSandbox(SandboxProcess process, HikariDataSource dataSource, Path workDir) {
        this.process = process;
        this.dataSource = dataSource;
        this.workDir = workDir;
    }

    /** @param poolSize connections; the signer's default is Hikari's 10 */
    /** A Hikari pool on the sandbox's database, as Spring Boot gives the services one. */
    public static HikariDataSource pool(SandboxEndpoints endpoints, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(endpoints.jdbcUrl());
        config.setUsername(endpoints.dbUser());
        config.setPassword(endpoints.dbPassword());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    public static BenchSandbox start(int poolSize) {
        if (System.getProperty(SandboxProcess.HOME_PROPERTY) == null) {
            System.setProperty(SandboxProcess.HOME_PROPERTY, sandboxHome().toString());
        }
        Path workDir;
        try {
            workDir = Files.createTempDirectory(WORK_DIR_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SandboxProcess process = SandboxProcess.start(workDir, List.of());
        try {
            HikariDataSource dataSource = pool(process.endpoints(), "bench", poolSize);
            Flyway.configure().dataSource(dataSource).load().migrate();
            return new BenchSandbox(process, dataSource, workDir);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    public SandboxEndpoints endpoints() {
        return process.endpoints();
    }

    public QuotaLedger ledger() {
        return new QuotaLedger(JdbcClient.create(dataSource), new JdbcTransactionManager(dataSource));
    }

    public long count(String sql) {
        return JdbcClient.create(dataSource).sql(sql).query(Long.class).single();
    }

    @Override
    public void close() {
        dataSource.close();
        process.close();
        deleteQuietly(workDir);
    }

    /**
     * {@code infra/sandbox} of this checkout: from the system property if set, else found from
     * where these classes were loaded ({@code benchmarks/target/classes}).
     */
    static Path sandboxHome() {
        try {
            Path classes = Path.of(BenchSandbox.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path repo = classes.getParent().getParent().getParent();
            Path home = repo.resolve("infra/sandbox");
            if (!Files.isDirectory(home)) {
                throw new IllegalStateException("cannot find infra/sandbox from " + classes + "; set -D"
                        + SandboxProcess.HOME_PROPERTY + "=<repo>/infra/sandbox");
            }
            return home;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp folder left behind is harmless
        }
    }
}
