package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.LedgerRows;
import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.MultipartUpload.AbortReason;
import io.uploadguard.ledger.MultipartUpload.State;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.notifications.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The books of multipart uploads (V10). The reservation is made by {@link QuotaLedger#reserve}
 * exactly as for a single PUT (the whole declared size, expiring with the upload); this class keeps
 * the upload's plan and state beside it, and gives the reservation back when the upload is aborted.
 *
 * <p>Every operation is one transaction and may be repeated: a second call changes nothing.
 */
public class MultipartLedger {

    private static final String SELECT = """
            SELECT m.*, u.bucket, u.object_key
              FROM multipart_uploads m JOIN uploads u ON u.upload_id = m.upload_id""";

    private final Books books;

    public MultipartLedger(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        LedgerDatabase db = new LedgerDatabase(jdbc, transactionManager);
        this.books = new Books(db, new LedgerQueries(db), new AccountCounters(jdbc), new Outbox(db));
    }

    /**
     * Records the plan of a reserved upload that S3 now knows as {@code s3UploadId}, as OPEN. A
     * repeated call keeps the first record.
     */
    public MultipartUpload open(
            UUID uploadId, String s3UploadId, long partSize, int partCount, String checksumAlgorithm, Instant now) {
        books.db()
                .sql("""
                        INSERT INTO multipart_uploads (upload_id, s3_upload_id, part_size, part_count,
                                                       checksum_algorithm, state, created_at)
                        VALUES (:uploadId, :s3UploadId, :partSize, :partCount, :algorithm, 'OPEN', :now)
                        ON CONFLICT (upload_id) DO NOTHING""")
                .param("uploadId", uploadId)
                .param("s3UploadId", s3UploadId)
                .param("partSize", partSize)
                .param("partCount", partCount)
                .param("algorithm", checksumAlgorithm)
                .param("now", timestamp(micros(now)))
                .update();
        return find(uploadId).orElseThrow();
    }

    public Optional<MultipartUpload> find(UUID uploadId) {
        return books.db()
                .sql(SELECT + " WHERE m.upload_id = :uploadId")
                .param("uploadId", uploadId)
                .query(MultipartLedger::row)
                .optional();
    }

    /**
     * Books that the signer completed the upload in S3: OPEN becomes COMPLETED. The reservation
     * stays held until the enforcer books the object, as for a single PUT.
     *
     * @return the state after the call (COMPLETED, or ABORTED if it was aborted first); empty if
     *     there is no such multipart upload
     */
    public Optional<State> complete(UUID uploadId, Instant now) {
        return books.db().inTransaction(tx -> {
            books.db()
                    .sql("""
                            UPDATE multipart_uploads SET state = 'COMPLETED', completed_at = :now
                             WHERE upload_id = :uploadId AND state = 'OPEN'""")
                    .param("now", timestamp(micros(now)))
                    .param("uploadId", uploadId)
                    .update();
            return find(uploadId).map(MultipartUpload::state);
        });
    }

    /**
     * Books that the upload was aborted in S3 (or was not there any more): OPEN becomes ABORTED with
     * its reason, and a reservation still held is given back (the upload row becomes EXPIRED, as a
     * reservation released at its expiry). A completed upload is left as it is: its object is the
     * enforcer's to book.
     *
     * @return the upload's multipart record after the call; empty if there is none
     */
    public Optional<MultipartUpload> abort(UUID uploadId, AbortReason reason, Instant now) {
        Instant at = micros(now);
        return books.db().inTransaction(tx -> {
            Optional<Upload> upload = books.queries().lockUpload(uploadId);
            int aborted = books.db()
                    .sql("""
                            UPDATE multipart_uploads SET state = 'ABORTED', aborted_at = :now, abort_reason = :reason
                             WHERE upload_id = :uploadId AND state = 'OPEN'""")
                    .param("now", timestamp(at))
                    .param("reason", reason.name())
                    .param("uploadId", uploadId)
                    .update();
            if (aborted == 1) {
                upload.ifPresent(u -> release(u, at));
            }
            return find(uploadId);
        });
    }

    /**
     * Books that CreateMultipartUpload failed for a reservation just made: the reservation is given
     * back and the plan recorded as ABORTED ({@link AbortReason#CREATE_FAILED}). Repeat-safe.
     */
    public void createFailed(UUID uploadId, long partSize, int partCount, Instant now) {
        Instant at = micros(now);
        books.db().inTransaction(tx -> {
            Optional<Upload> upload = books.queries().lockUpload(uploadId);
            int recorded = books.db()
                    .sql("""
                            INSERT INTO multipart_uploads (upload_id, part_size, part_count, state, created_at,
                                                           aborted_at, abort_reason)
                            VALUES (:uploadId, :partSize, :partCount, 'ABORTED', :now, :now, 'CREATE_FAILED')
                            ON CONFLICT (upload_id) DO NOTHING""")
                    .param("uploadId", uploadId)
                    .param("partSize", partSize)
                    .param("partCount", partCount)
                    .param("now", timestamp(at))
                    .update();
            if (recorded == 1) {
                upload.ifPresent(u -> release(u, at));
            }
            return recorded;
        });
    }

    /**
     * Open multipart uploads whose reservation expired more than {@code grace} ago and is still
     * held, oldest first: the releaser aborts each in S3, then {@link #abort}s it here.
     */
    public List<MultipartUpload> abandoned(Instant now, Duration grace, int limit) {
        return books.db()
                .sql(SELECT + "\n" + """
                         WHERE m.state = 'OPEN' AND u.status = 'RESERVED' AND u.expires_at < :cutoff
                         ORDER BY u.expires_at
                         LIMIT :limit""")
                .param("cutoff", timestamp(micros(now).minus(grace)))
                .param("limit", limit)
                .query(MultipartLedger::row)
                .list();
    }

    private void release(Upload upload, Instant at) {
        if (upload.status() != UploadStatus.RESERVED) {
            return;
        }
        books.counters().release(upload.userId(), Held.by(upload), at);
        books.db()
                .sql("UPDATE uploads SET status = 'EXPIRED' WHERE upload_id = :uploadId")
                .param("uploadId", upload.uploadId())
                .update();
    }

    private static MultipartUpload row(ResultSet rs, int row) throws SQLException {
        String reason = rs.getString("abort_reason");
        return new MultipartUpload(
                rs.getObject("upload_id", UUID.class),
                rs.getString("bucket"),
                rs.getString("object_key"),
                rs.getString("s3_upload_id"),
                rs.getLong("part_size"),
                rs.getInt("part_count"),
                rs.getString("checksum_algorithm"),
                State.valueOf(rs.getString("state")),
                LedgerRows.instant(rs, "created_at"),
                LedgerRows.instant(rs, "completed_at"),
                LedgerRows.instant(rs, "aborted_at"),
                reason == null ? null : AbortReason.valueOf(reason));
    }
}
