package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.LedgerRows.timestamp;
import static io.uploadguard.ledger.admin.AdminArguments.requireLimit;
import static io.uploadguard.ledger.admin.AdminArguments.requireText;

import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.Upload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What operators read to decide: what is in quarantine, a user's uploads, the audit log. */
class AdminListings {

    private final LedgerDatabase db;

    AdminListings(LedgerDatabase db) {
        this.db = db;
    }

    /** See {@link AdminLedger#quarantined}. */
    Page<Upload> quarantined(Optional<String> userId, Optional<String> reason, int limit, String cursor) {
        requireLimit(limit);
        StringBuilder sql =
                new StringBuilder("SELECT * FROM uploads WHERE action = 'QUARANTINED' AND current_key IS NOT NULL");
        Map<String, Object> params = new LinkedHashMap<>();
        userId.ifPresent(id -> {
            sql.append(" AND user_id = :userId");
            params.put("userId", id);
        });
        reason.ifPresent(r -> {
            sql.append(" AND :reason = ANY (reasons)");
            params.put("reason", r);
        });
        if (cursor != null && !cursor.isEmpty()) {
            LedgerCursor.Position after = LedgerCursor.decode(LedgerCursor.QUARANTINE, cursor);
            sql.append(" AND (settled_at, upload_id) < (:at, :uploadId)");
            params.put("at", timestamp(after.at()));
            params.put("uploadId", after.uploadId());
        }
        sql.append(" ORDER BY settled_at DESC, upload_id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<Upload> rows =
                db.sql(sql.toString()).params(params).query(LedgerRows::upload).list();
        return page(
                rows, limit, last -> LedgerCursor.encode(LedgerCursor.QUARANTINE, last.settledAt(), last.uploadId()));
    }

    /** See {@link AdminLedger#uploads}. */
    Page<Upload> uploads(String userId, int limit, String cursor) {
        requireText("userId", userId);
        requireLimit(limit);
        JdbcClient.StatementSpec statement;
        if (cursor == null || cursor.isEmpty()) {
            statement = db.sql("""
                    SELECT * FROM uploads WHERE user_id = :userId
                     ORDER BY created_at DESC, upload_id DESC LIMIT :limit""");
        } else {
            LedgerCursor.Position after = LedgerCursor.decode(LedgerCursor.UPLOADS, cursor);
            statement = db.sql("""
                            SELECT * FROM uploads WHERE user_id = :userId AND (created_at, upload_id) < (:at, :uploadId)
                             ORDER BY created_at DESC, upload_id DESC LIMIT :limit""").param("at", timestamp(after.at())).param("uploadId", after.uploadId());
        }
        List<Upload> rows = statement
                .param("userId", userId)
                .param("limit", limit + 1)
                .query(LedgerRows::upload)
                .list();
        return page(rows, limit, last -> LedgerCursor.encode(LedgerCursor.UPLOADS, last.createdAt(), last.uploadId()));
    }

    /** See {@link AdminLedger#auditFor}. */
    List<AuditEntry> auditFor(String userId, int limit) {
        requireText("userId", userId);
        requireLimit(limit);
        return db.sql("SELECT * FROM audit_log WHERE user_id = :userId ORDER BY at DESC, id DESC LIMIT :limit")
                .params(Map.of("userId", userId, "limit", limit))
                .query(AuditLog::entry)
                .list();
    }

    /** See {@link AdminLedger#auditForUpload}. */
    List<AuditEntry> auditForUpload(UUID uploadId) {
        return db.sql("SELECT * FROM audit_log WHERE upload_id = :uploadId ORDER BY at, id")
                .param("uploadId", Objects.requireNonNull(uploadId, "uploadId"))
                .query(AuditLog::entry)
                .list();
    }

    private static <T> Page<T> page(List<T> rows, int limit, Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = new ArrayList<>(rows.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(items.size() - 1)));
    }
}
