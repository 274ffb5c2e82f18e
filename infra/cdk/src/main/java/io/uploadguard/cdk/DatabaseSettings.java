package io.uploadguard.cdk;

import java.util.Map;

/**
 * The database the stack creates ({@code database=aurora}), or none.
 *
 * @param kind {@code none} (bring your own: {@code datasourceUrl}) or {@code aurora}
 * @param name the database created in the cluster
 * @param minCapacity Aurora Serverless v2 capacity floor, in ACUs (0.5 steps)
 * @param maxCapacity its ceiling
 * @param deletionProtection refuse to delete the cluster (also when the stack is deleted)
 */
record DatabaseSettings(Kind kind, String name, double minCapacity, double maxCapacity, boolean deletionProtection) {

    enum Kind {
        NONE,
        AURORA
    }

    static final Map<String, String> DEFAULTS = ContextValues.defaults(
            "database", "none",
            "databaseName", "uploadguard",
            "databaseMinCapacity", "0.5",
            "databaseMaxCapacity", "4",
            "databaseDeletionProtection", "true");

    DatabaseSettings {
        if (minCapacity < 0 || maxCapacity < minCapacity || maxCapacity < 1 || maxCapacity > 256) {
            throw new IllegalArgumentException("databaseMinCapacity must be at least 0 and databaseMaxCapacity"
                    + " between 1 and 256 ACUs, not below the minimum");
        }
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("databaseName must be a lower-case PostgreSQL identifier: " + name);
        }
    }

    static DatabaseSettings from(ContextValues v) {
        return new DatabaseSettings(
                v.choice("database", Kind.class),
                v.text("databaseName"),
                v.decimal("databaseMinCapacity"),
                v.decimal("databaseMaxCapacity"),
                v.bool("databaseDeletionProtection"));
    }
}
