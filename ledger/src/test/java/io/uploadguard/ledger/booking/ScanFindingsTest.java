package io.uploadguard.ledger.booking;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.books;
import static io.uploadguard.ledger.LedgerTests.rejectQuarantined;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Books;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.policy.Quota;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class ScanFindingsTest {

    private static QuotaLedger ledger;

    private final Instant now = LedgerTests.now();
    private final String user = LedgerTests.newUser("scan");
    private final Quota quota = LedgerTests.ROOMY;

    @BeforeAll
    static void connect(QuotaLedger quotaLedger) {
        ledger = quotaLedger;
    }

    @Test
    void aHeldObjectKeepsItsFirstHoldTimeAndItsBooksUntouched() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        Books before = books(ledger, user);

        assertThat(ledger.markScanPending(BUCKET, upload.objectKey(), now)).contains(now);
        assertThat(ledger.markScanPending(BUCKET, upload.objectKey(), now.plusSeconds(30)))
                .as("a redelivery does not restart the wait")
                .contains(now);
        assertThat(books(ledger, user)).isEqualTo(before);
    }

    @Test
    void aSettledObjectIsNotMarkedPending() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        ledger.accept(BUCKET, upload.objectKey(), 1000, "image/png", "e", upload.objectKey(), now);

        assertThat(ledger.markScanPending(BUCKET, upload.objectKey(), now)).isEmpty();
        assertThat(ledger.markScanPending(BUCKET, "incoming/nobody/" + UUID.randomUUID(), now))
                .isEmpty();
    }

    @Test
    void signatureNamesAreKeptWithTheMalwareRejection() {
        Upload upload = reserved(ledger, user, 1000, quota, now);
        assertThat(ledger.scanSignatures(upload.uploadId())).isEmpty();

        assertThat(ledger.recordScanSignatures(BUCKET, upload.objectKey(), List.of("Win.Test.EICAR_HDB-1")))
                .isTrue();
        rejectQuarantined(ledger, upload.objectKey(), List.of("MALWARE"), 1000, "quarantine/x", quota, now);

        assertThat(ledger.scanSignatures(upload.uploadId())).containsExactly("Win.Test.EICAR_HDB-1");
        assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().reasons()).containsExactly("MALWARE");
    }
}
