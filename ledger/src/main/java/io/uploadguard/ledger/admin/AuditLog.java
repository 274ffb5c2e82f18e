package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.LedgerRows.instant;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.support.SqlArrayValue;

/** {@code audit_log}: written in the transaction of the change it records. */
class AuditLog {

    private final LedgerDatabase db;

    AuditLog(LedgerDatabase db) {
        this.db = db;
    }

    /**
     * Writes the audit row. Details are built by PostgreSQL from typed parameters
     * ({@code jsonb_build_object}), so no value is ever pasted into JSON text by hand.
     *
     * @param userId the user acted on, or the owner of the object acted on
     * @param uploadId the object acted on, or null for an action on a user
     */
    void write(AdminAction action, String userId, UUID uploadId, Operator by, Map<String, Object> details) {
        StringBuilder object = new StringBuilder("jsonb_build_object(");
        Map<String, Object> params = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Object> detail : details.entrySet()) {
            if (i > 0) {
                object.append(", ");
            }
            String name = "k" + i;
            String value = "v" + i;
            object.append("CAST(:").append(name).append(" AS text), ").append(jsonValue(value, detail.getValue()));
            params.put(name, detail.getKey());
            params.put(value, parameter(detail.getValue()));
            i++;
        }
        object.append(")");
        params.put("at", timestamp(by.at()));
        params.put("actor", by.actor());
        params.put("action", action.name());
        params.put("userId", userId);
        params.put("uploadId", uploadId);
        params.put("reason", by.reason());
        db.sql("INSERT INTO audit_log (at, actor, action, user_id, upload_id, reason, details)"
                        + " VALUES (:at, :actor, :action, :userId, CAST(:uploadId AS uuid), :reason, " + object + ")")
                .params(params)
                .update();
    }

    /** Whether an operator has released this upload from quarantine. */
    boolean wasReleased(UUID uploadId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM audit_log WHERE upload_id = :uploadId AND action = 'RELEASE')")
                .param("uploadId", uploadId)
                .query(Boolean.class)
                .single();
    }

    static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(
                rs.getLong("id"),
                instant(rs, "at"),
                rs.getString("actor"),
                AdminAction.valueOf(rs.getString("action")),
                rs.getString("user_id"),
                rs.getObject("upload_id", UUID.class),
                rs.getString("reason"),
                rs.getString("details"));
    }

    /** The SQL for one detail's value; its type decides the JSON type. */
    private static String jsonValue(String param, Object value) {
        if (value instanceof Boolean) {
            return "CAST(:" + param + " AS boolean)";
        }
        if (value instanceof Number) {
            return "CAST(:" + param + " AS bigint)";
        }
        if (value instanceof List<?>) {
            return "to_jsonb(CAST(:" + param + " AS text[]))";
        }
        return "CAST(:" + param + " AS text)";
    }

    private static Object parameter(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof List<?> list) {
            return new SqlArrayValue("text", list.stream().map(String::valueOf).toArray());
        }
        return value;
    }
}
