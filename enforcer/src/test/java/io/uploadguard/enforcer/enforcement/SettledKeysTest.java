package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.SettleOutcome;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SettledKeysTest {

    private final SettledKeys keys = new SettledKeys();

    @Test
    void aBookedVerdictSettlesTheKeysFirstRemovalOnly() {
        keys.booked(
                "b",
                "incoming/u/1",
                new SettleOutcome.Settled(upload(UploadStatus.ACCEPTED), UploadStatus.RESERVED, false));

        assertThat(keys.takeSettled("b", "incoming/u/1")).isTrue();
        // a redelivered removal event looks the ledger up again
        assertThat(keys.takeSettled("b", "incoming/u/1")).isFalse();
        assertThat(keys.takeSettled("other", "incoming/u/1")).isFalse();
    }

    @Test
    void onlyAnUploadThatHasItsVerdictIsRemembered() {
        keys.booked("b", "incoming/u/2", new SettleOutcome.NoUploadAtKey("b", "incoming/u/2"));
        // an outcome that leaves the upload awaiting its verdict (REMOVED before booking) must take the full path
        keys.booked("b", "incoming/u/3", new SettleOutcome.AlreadySettled(upload(UploadStatus.RESERVED)));
        keys.booked("b", "incoming/u/4", new SettleOutcome.AlreadySettled(upload(UploadStatus.REJECTED)));

        assertThat(keys.takeSettled("b", "incoming/u/2")).isFalse();
        assertThat(keys.takeSettled("b", "incoming/u/3")).isFalse();
        assertThat(keys.takeSettled("b", "incoming/u/4")).isTrue();
    }

    @Test
    void theOldestKeysAreForgottenPastTheCapacity() {
        for (int i = 0; i <= SettledKeys.CAPACITY; i++) {
            keys.booked("b", "incoming/u/" + i, new SettleOutcome.AlreadySettled(upload(UploadStatus.ACCEPTED)));
        }

        assertThat(keys.takeSettled("b", "incoming/u/0")).isFalse();
        assertThat(keys.takeSettled("b", "incoming/u/1")).isTrue();
        assertThat(keys.takeSettled("b", "incoming/u/" + SettledKeys.CAPACITY)).isTrue();
    }

    private static Upload upload(UploadStatus status) {
        Instant now = Instant.now();
        return new Upload(
                UUID.randomUUID(),
                "u",
                "avatar",
                "b",
                "incoming/u/x",
                null,
                "image/png",
                10L,
                null,
                null,
                status,
                List.of(),
                null,
                10L,
                "image/png",
                "etag",
                now,
                now,
                status == UploadStatus.RESERVED ? null : now,
                null,
                null);
    }
}
