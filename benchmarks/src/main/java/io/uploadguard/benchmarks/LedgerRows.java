package io.uploadguard.benchmarks;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Prints the number of upload rows and of accounts in the sandbox's ledger: the load script's
 * check that every 201 booked exactly one reservation.
 *
 * <p>Usage: {@code LedgerRows <endpoints-file>}; prints {@code uploads=N accounts=M}.
 */
public final class LedgerRows {

    private LedgerRows() {}

    public static void main(String[] args) throws SQLException {
        if (args.length != 1) {
            System.err.println("usage: LedgerRows <endpoints-file>");
            System.exit(2);
        }
        SandboxEndpoints e = SandboxEndpoints.readFrom(Path.of(args[0]));
        try (Connection c = DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select (select count(*) from uploads where status = 'RESERVED'), "
                        + "(select count(*) from accounts)")) {
            r.next();
            System.out.println("uploads=" + r.getLong(1) + " accounts=" + r.getLong(2));
        }
    }
}
