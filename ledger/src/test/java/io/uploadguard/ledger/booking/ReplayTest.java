package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.books;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An object written again with the URL of an upload that has its verdict. */
@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class ReplayTest {

    private static QuotaLedger ledger;

    private final KeyLayout layout = KeyLayout.DEFAULT;
    private final Instant now = LedgerTests.now();
    private final String user = LedgerTests.newUser("replay");
    private final Quota quota = new Quota(1_000_000, 100, 1000, 2, Duration.ofHours(1));

    @BeforeAll
    static void connect(QuotaLedger quotaLedger) {
        ledger = quotaLedger;
    }

    @Test
    void eachWriteIsChargedOnceHoweverOftenItsEventComes() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e1", layout.servedKey(upload.objectKey()), now);
        LedgerTests.Books accepted = books(ledger, user);

        ReplayBooking first = ledger.recordReplay(
                        BUCKET, upload.objectKey(), "seq-2", 1000, "e2", u -> quota, now.plusSeconds(1))
                .orElseThrow();
        assertThat(first.booked()).isTrue();
        assertThat(first.userBlocked()).isFalse();
        assertThat(first.original().uploadId()).isEqualTo(upload.uploadId());
        Account afterFirst = ledger.account(user).orElseThrow();
        assertThat(afterFirst.violations()).isEqualTo(1);
        assertThat(afterFirst.bytesUsed())
                .as("a replay takes no quota")
                .isEqualTo(accepted.account().orElseThrow().bytesUsed());

        ReplayBooking again = ledger.recordReplay(
                        BUCKET, upload.objectKey(), "seq-2", 1000, "e2", u -> quota, now.plusSeconds(2))
                .orElseThrow();
        assertThat(again.booked()).isFalse();
        assertThat(ledger.account(user).orElseThrow().violations()).isEqualTo(1);

        ReplayBooking second = ledger.recordReplay(
                        BUCKET, upload.objectKey(), "seq-3", 1000, "e2", u -> quota, now.plusSeconds(3))
                .orElseThrow();
        assertThat(second.booked()).isTrue();
        assertThat(second.userBlocked())
                .as("the second violation reaches the threshold of 2")
                .isTrue();
        assertThat(ledger.account(user).orElseThrow().blockedUntil()).isNotNull();
        assertThat(ledger.findByKey(BUCKET, upload.objectKey()).orElseThrow().status())
                .as("the upload's own verdict stands")
                .isEqualTo(UploadStatus.ACCEPTED);
    }

    @Test
    void aKeyNoUploadHasIsNotAReplay() {
        assertThat(ledger.recordReplay(
                        BUCKET, layout.newIncomingKey(user, "image/png"), "seq-1", 10, "e", u -> quota, now))
                .isEmpty();
    }
}
