package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Gives back the reservations of URLs that expired with nothing written. Open multipart uploads are
 * not released here: their parts sit in S3 until aborted, so the releaser aborts them first and
 * {@link MultipartLedger#abort} gives their reservation back.
 */
class ExpiredReservations {

    private final Books books;

    ExpiredReservations(Books books) {
        this.books = books;
    }

    /** See {@link QuotaLedger#releaseExpired}. */
    int releaseExpired(Instant now, Duration grace, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be more than 0, was " + batchSize);
        }
        Instant at = micros(now);
        Instant cutoff = at.minus(grace);
        return books.db().inTransaction(tx -> {
            List<Held> perUser = books.db()
                    .sql("""
                            WITH due AS (
                                SELECT upload_id FROM uploads
                                 WHERE status = 'RESERVED' AND expires_at < :cutoff
                                   -- an open multipart upload is aborted in S3 first (MultipartLedger.abandoned)
                                   AND NOT EXISTS (SELECT 1 FROM multipart_uploads m
                                                    WHERE m.upload_id = uploads.upload_id AND m.state = 'OPEN')
                                 ORDER BY expires_at
                                 LIMIT :batchSize
                                   FOR UPDATE SKIP LOCKED
                            ), expired AS (
                                UPDATE uploads u SET status = 'EXPIRED'
                                  FROM due
                                 WHERE u.upload_id = due.upload_id
                                RETURNING u.user_id, u.declared_size
                            )
                            SELECT user_id, sum(declared_size) AS bytes, count(*) AS objects
                              FROM expired
                             GROUP BY user_id
                             ORDER BY user_id""")
                    .param("cutoff", timestamp(cutoff))
                    .param("batchSize", batchSize)
                    .query((rs, row) -> new Held(rs.getString("user_id"), rs.getLong("bytes"), rs.getLong("objects")))
                    .list();
            if (perUser.isEmpty()) {
                return 0;
            }
            books.counters().releaseAll(perUser, at);
            return Math.toIntExact(perUser.stream().mapToLong(Held::objects).sum());
        });
    }
}
