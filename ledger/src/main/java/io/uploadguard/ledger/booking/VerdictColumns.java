package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.UploadAction;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;

/**
 * What a verdict writes on an upload row besides its status: the parameters {@code :action},
 * {@code :realSize}, {@code :detectedType}, {@code :etag} and {@code :currentKey}.
 *
 * @param realSize null if the object was not measured
 * @param currentKey where the object is now, or null if it was deleted
 */
public record VerdictColumns(UploadAction action, Long realSize, String detectedType, String etag, String currentKey) {

    StatementSpec bind(StatementSpec statement) {
        return statement
                .param("action", action == null ? null : action.name())
                .param("realSize", realSize)
                .param("detectedType", detectedType)
                .param("etag", etag)
                .param("currentKey", currentKey);
    }
}
