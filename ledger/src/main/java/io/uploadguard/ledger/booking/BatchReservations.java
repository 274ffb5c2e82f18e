package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerRows.micros;
import static io.uploadguard.ledger.LedgerRows.timestamp;

import io.uploadguard.ledger.LedgerDatabase;
import io.uploadguard.ledger.policy.KeyLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * Books a batch of reservations in one statement, {@code reserve_uploads} (V9), with the rules of
 * {@link Reservations}, one after the other per user. The requests must have distinct upload ids.
 */
class BatchReservations {

    private final LedgerDatabase db;

    BatchReservations(LedgerDatabase db) {
        this.db = db;
    }

    /**
     * @return each request's answer, by its position in {@code batch}; a position is missing only if
     *     the database gave it no answer (the caller then books it alone)
     */
    Map<Integer, Answer> reserve(List<PendingReservation> batch) {
        Map<Integer, Answer> answers = new HashMap<>();
        db.sql("""
                        SELECT * FROM reserve_uploads(
                            CAST(:uploadIds AS uuid[]), :userIds, :segments, :profiles, :buckets, :keys,
                            :contentTypes, :sizes, :checksums, :filenames, :clientReferences,
                            CAST(:nows AS timestamptz[]), CAST(:expiresAts AS timestamptz[]),
                            :maxBytes, :maxObjects, :maxPerMinute)""")
                .param("uploadIds", text(batch, p -> p.request().uploadId().toString()))
                .param("userIds", text(batch, p -> p.request().userId()))
                .param(
                        "segments",
                        text(batch, p -> KeyLayout.userSegment(p.request().userId())))
                .param("profiles", text(batch, p -> p.request().profile()))
                .param("buckets", text(batch, p -> p.request().bucket()))
                .param("keys", text(batch, p -> p.request().key()))
                .param("contentTypes", text(batch, p -> p.request().contentType()))
                .param("sizes", array("int8", batch, p -> p.request().size()))
                .param("checksums", text(batch, p -> p.request().checksumSha256()))
                .param("filenames", text(batch, p -> p.request().filename()))
                .param("clientReferences", text(batch, p -> p.request().clientReference()))
                .param("nows", text(batch, p -> timestamp(p.at()).toString()))
                .param(
                        "expiresAts",
                        text(
                                batch,
                                p -> timestamp(micros(p.request().expiresAt())).toString()))
                .param("maxBytes", array("int8", batch, p -> p.quota().maxBytes()))
                .param("maxObjects", array("int8", batch, p -> p.quota().maxObjects()))
                .param("maxPerMinute", array("int4", batch, p -> p.quota().maxSignedUrlsPerMinute()))
                .query((rs, row) -> {
                    int index = rs.getInt("ord") - 1;
                    PendingReservation pending = batch.get(index);
                    try {
                        answers.put(index, Answer.of(Reservations.outcome(rs, pending.request(), pending.at())));
                    } catch (IllegalArgumentException e) {
                        answers.put(index, Answer.failed(e));
                    }
                    return index;
                })
                .list();
        return answers;
    }

    private static SqlArrayValue text(List<PendingReservation> batch, Function<PendingReservation, String> value) {
        return array("text", batch, value);
    }

    private static SqlArrayValue array(
            String type, List<PendingReservation> batch, Function<PendingReservation, ?> value) {
        List<Object> values = new ArrayList<>(batch.size());
        for (PendingReservation pending : batch) {
            values.add(value.apply(pending));
        }
        return new SqlArrayValue(type, values.toArray());
    }

    /** A request's answer: its outcome, or the exception its caller gets. */
    record Answer(ReserveOutcome outcome, RuntimeException failure) {

        static Answer of(ReserveOutcome outcome) {
            return new Answer(outcome, null);
        }

        static Answer failed(RuntimeException failure) {
            return new Answer(null, failure);
        }
    }
}
