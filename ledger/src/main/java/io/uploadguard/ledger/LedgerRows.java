package io.uploadguard.ledger;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.support.SqlArrayValue;

/** Reads ledger rows and writes ledger timestamps and arrays. */
public final class LedgerRows {

    private LedgerRows() {}

    public static Upload upload(ResultSet rs, int row) throws SQLException {
        return new Upload(
                rs.getObject("upload_id", UUID.class),
                rs.getString("user_id"),
                rs.getString("profile"),
                rs.getString("bucket"),
                rs.getString("object_key"),
                rs.getString("current_key"),
                rs.getString("declared_type"),
                rs.getObject("declared_size", Long.class),
                rs.getString("checksum_sha256"),
                rs.getString("filename"),
                UploadStatus.valueOf(rs.getString("status")),
                strings(rs.getArray("reasons")),
                action(rs.getString("action")),
                rs.getObject("real_size", Long.class),
                rs.getString("detected_type"),
                rs.getString("etag"),
                instant(rs, "created_at"),
                instant(rs, "expires_at"),
                instant(rs, "settled_at"),
                instant(rs, "removed_at"),
                rs.getString("client_reference"));
    }

    public static Account account(ResultSet rs, int row) throws SQLException {
        return account(rs, "");
    }

    /** An account whose columns carry this prefix in their names, as when joined to another row. */
    public static Account account(ResultSet rs, String prefix) throws SQLException {
        return new Account(
                rs.getString(prefix + "user_id"),
                rs.getString(prefix + "user_segment"),
                rs.getLong(prefix + "bytes_used"),
                rs.getLong(prefix + "objects_used"),
                rs.getLong(prefix + "bytes_reserved"),
                rs.getLong(prefix + "objects_reserved"),
                rs.getInt(prefix + "violations"),
                instant(rs, prefix + "blocked_until"),
                rs.getString(prefix + "blocked_reason"),
                instant(rs, prefix + "rate_window_start"),
                rs.getInt(prefix + "rate_window_count"),
                instant(rs, prefix + "created_at"),
                instant(rs, prefix + "updated_at"));
    }

    /** The driver maps timestamptz to OffsetDateTime, not to Instant. */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Times are cut to microseconds, PostgreSQL's precision, so what is read back equals what was written. */
    public static Instant micros(Instant instant) {
        return Objects.requireNonNull(instant, "now").truncatedTo(ChronoUnit.MICROS);
    }

    public static SqlArrayValue textArray(List<String> values) {
        return new SqlArrayValue("text", values.toArray());
    }

    private static UploadAction action(String name) {
        return name == null ? null : UploadAction.valueOf(name);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
