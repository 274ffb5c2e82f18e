package io.uploadguard.sandbox;

import io.uploadguard.sandbox.faults.Restartable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Deque;

/** The sandbox's PostgreSQL: embedded, tuned for a throw-away database, restartable with its data. */
final class SandboxPostgres {

    private SandboxPostgres() {}

    static EmbeddedPostgres start(SandboxConfig config, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(config.workDir().resolve("postgres"))
                    // kept on stop, so that a fault test can restart the server with its data;
                    // prepareWorkDir wipes it before each sandbox start
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", config.host())
                    .setServerConfig("max_connections", "300")
                    // a throw-away database: durability only costs time here
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /** Creates the database in the started server and hands the server over to {@code parts}. */
    static Restartable adopt(EmbeddedPostgres pg, SandboxConfig config, int port, Deque<AutoCloseable> parts)
            throws SQLException {
        Restartable server = Restartable.running("PostgreSQL", pg, () -> start(config, port));
        parts.push(server);
        createDatabase(pg, config.database());
        return server;
    }

    private static void createDatabase(EmbeddedPostgres pg, String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case identifier: " + database);
        }
        try (Connection c = pg.getPostgresDatabase().getConnection();
                var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
    }
}
