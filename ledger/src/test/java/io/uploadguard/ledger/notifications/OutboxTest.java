package io.uploadguard.ledger.notifications;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.ROOMY;
import static io.uploadguard.ledger.LedgerTests.rejectDeleted;
import static io.uploadguard.ledger.LedgerTests.rejectQuarantined;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every booking that changes something writes exactly one event to the outbox, built from the
 * booked row; repeating it writes nothing more.
 */
@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class OutboxTest {

    private static final List<String> MISMATCH = List.of(Reason.TYPE_MISMATCH.name());

    private static QuotaLedger ledger;
    private static AdminLedger admin;
    private static JdbcClient jdbc;
    private static DataSource dataSource;

    private final KeyLayout layout = KeyLayout.DEFAULT;
    private final Instant now = LedgerTests.now();
    private final String user = LedgerTests.newUser("outbox");

    @BeforeAll
    static void connect(QuotaLedger quotaLedger, AdminLedger adminLedger, DataSource dataSource) {
        ledger = quotaLedger;
        admin = adminLedger;
        jdbc = JdbcClient.create(dataSource);
        OutboxTest.dataSource = dataSource;
    }

    record Event(String type, String payload) {}

    private List<Event> events() {
        return jdbc.sql("""
                        SELECT type, CAST(payload AS text) AS payload FROM notification_outbox
                         WHERE user_id = :user ORDER BY sequence""")
                .param("user", user)
                .query((rs, row) -> new Event(rs.getString("type"), rs.getString("payload")))
                .list();
    }

    private List<String> types() {
        return events().stream().map(Event::type).toList();
    }

    @Test
    void anAcceptedUploadAnnouncesItselfOnceWithTheClientReference() {
        ReservationRequest request = new ReservationRequest(
                UUID.randomUUID(),
                user,
                "avatar",
                BUCKET,
                layout.newIncomingKey(user, "image/png"),
                "image/png",
                100,
                null,
                null,
                now.plus(Duration.ofMinutes(5)),
                "avatar of account 42");
        Upload upload = ((ReserveOutcome.Reserved) ledger.reserve(request, ROOMY, now)).upload();
        assertThat(upload.clientReference()).isEqualTo("avatar of account 42");
        assertThat(events()).isEmpty();

        String served = layout.servedKey(upload.objectKey());
        ledger.accept(BUCKET, upload.objectKey(), 100, "image/png", "e", served, now);
        ledger.accept(BUCKET, upload.objectKey(), 100, "image/png", "e", served, now);

        assertThat(events()).hasSize(1);
        String payload = events().get(0).payload();
        assertThat(events().get(0).type()).isEqualTo("upload.accepted");
        assertThat(payload)
                .contains("\"type\":\"upload.accepted\"")
                .contains("\"clientReference\":\"avatar of account 42\"")
                .contains("\"servedKey\":\"" + served + "\"")
                .contains("\"uploadId\":\"" + upload.uploadId() + "\"")
                .contains("\"realSize\":100")
                .doesNotContain("quarantineKey");
    }

    @Test
    void aRejectionThatBlocksAnnouncesTheRejectionAndTheBlock() {
        Quota strict = new Quota(1_000_000, 100, 1000, 1, Duration.ofHours(1));
        Upload upload = reserved(ledger, user, 100, strict, now);
        String quarantine = layout.quarantineKey(upload.objectKey());

        rejectQuarantined(ledger, upload.objectKey(), MISMATCH, 100, quarantine, strict, now);
        rejectQuarantined(ledger, upload.objectKey(), MISMATCH, 100, quarantine, strict, now);

        assertThat(types()).containsExactly("upload.rejected", "user.blocked");
        assertThat(events().get(0).payload())
                .contains("\"quarantineKey\":\"" + quarantine + "\"")
                .contains("TYPE_MISMATCH");
    }

    @Test
    void removalGoneAndReplayAreAnnouncedOnce() {
        Upload accepted = reserved(ledger, user, 100, ROOMY, now);
        String served = layout.servedKey(accepted.objectKey());
        ledger.accept(BUCKET, accepted.objectKey(), 100, "image/png", "e", served, now);
        ledger.recordReplay(BUCKET, accepted.objectKey(), "seq-1", 50, "e2", u -> ROOMY, now);
        ledger.recordReplay(BUCKET, accepted.objectKey(), "seq-1", 50, "e2", u -> ROOMY, now);
        ledger.remove(BUCKET, served, now);
        ledger.remove(BUCKET, served, now);
        Upload vanished = reserved(ledger, user, 100, ROOMY, now);
        ledger.markGone(BUCKET, vanished.objectKey(), now);
        ledger.markGone(BUCKET, vanished.objectKey(), now);

        assertThat(types()).containsExactly("upload.accepted", "upload.rejected", "upload.removed", "upload.gone");
        assertThat(events().get(1).payload()).contains("\"replay\":true").contains("NO_RESERVATION");
    }

    @Test
    void operatorsReleasesPurgesBlocksAndUnblocksAreAnnouncedOnce() {
        Upload released = reserved(ledger, user, 100, ROOMY, now);
        rejectQuarantined(
                ledger, released.objectKey(), MISMATCH, 100, layout.quarantineKey(released.objectKey()), ROOMY, now);
        admin.releaseQuarantined(released.uploadId(), "served/x", false, ROOMY, "ops", "fine", now);
        admin.releaseQuarantined(released.uploadId(), "served/x", false, ROOMY, "ops", "fine", now);
        admin.previewRelease(released.uploadId(), "served/x", false, ROOMY, now);
        Upload purged = reserved(ledger, user, 100, ROOMY, now);
        rejectQuarantined(
                ledger, purged.objectKey(), MISMATCH, 100, layout.quarantineKey(purged.objectKey()), ROOMY, now);
        admin.purgeQuarantined(purged.uploadId(), "ops", "malware", now);
        admin.purgeQuarantined(purged.uploadId(), "ops", "malware", now);
        admin.block(user, Duration.ofHours(1), "spam", "ops", now);
        admin.unblock(user, "ops", "sorry", now);
        admin.unblock(user, "ops", "sorry again", now);

        assertThat(types())
                .containsExactly(
                        "upload.rejected",
                        "upload.released",
                        "upload.rejected",
                        "upload.purged",
                        "user.blocked",
                        "user.unblocked");
    }

    @Test
    void onlyEventsEveryChannelTookArePrunedAndOnlyOnceOldEnough() {
        DeliveryQueue queue = new DeliveryQueue(
                jdbc, new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource));
        DeliveryAdmin deliveries = new DeliveryAdmin(
                jdbc, new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource));
        Upload taken = reserved(ledger, user, 100, ROOMY, now);
        ledger.accept(BUCKET, taken.objectKey(), 100, "image/png", "e", layout.servedKey(taken.objectKey()), now);
        Upload waiting = reserved(ledger, user, 100, ROOMY, now);
        ledger.markGone(BUCKET, waiting.objectKey(), now);
        String channel = "prune-" + UUID.randomUUID();
        queue.fanOut(
                List.of(new ChannelRoute(channel, java.util.Set.of(), java.util.Set.of())),
                Duration.ofHours(1),
                now,
                100_000);
        queue.claim(List.of(channel), now, Duration.ofMinutes(1), 100_000).stream()
                .filter(d -> d.payload().contains(taken.uploadId().toString()))
                .forEach(d -> queue.delivered(d, now));

        deliveries.pruneDelivered(now, 100_000);
        assertThat(events()).hasSize(2);
        deliveries.pruneDelivered(now.plusSeconds(1), 100_000);

        assertThat(events()).extracting(Event::type).containsExactly("upload.gone");
    }

    /**
     * With nothing waiting for fan-out (the usual state) the look-up answers null rather than
     * failing, which had made the dispatcher's metrics round fail and skip pruning. Other tests'
     * events share this database, so they are marked fanned out in a transaction rolled back.
     */
    @Test
    void theOldestEventAwaitingFanOutIsNullWhenNoneWaits() {
        var transactions = new DataSourceTransactionManager(dataSource);
        var deliveries = new DeliveryAdmin(jdbc, transactions);
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            jdbc.sql("UPDATE notification_outbox SET fanned_out_at = now() WHERE fanned_out_at IS NULL")
                    .update();
            assertThat(deliveries.oldestNotFannedOut()).isNull();
            status.setRollbackOnly();
        });
    }

    @Test
    void aRefusedOrRolledBackBookingAnnouncesNothing() {
        Upload upload = reserved(ledger, user, 100, ROOMY, now);
        rejectDeleted(ledger, "no/such/key", MISMATCH, 10, ROOMY, now);
        ledger.remove(BUCKET, "no/such/key", now);
        assertThat(admin.block("nobody-" + UUID.randomUUID(), Duration.ofHours(1), "x", "ops", now))
                .isEqualTo(Optional.empty());

        assertThat(events()).isEmpty();
        assertThat(upload.clientReference()).isNull();
    }
}
