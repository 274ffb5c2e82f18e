package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.ReserveOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Each verdict, from an upload to the sandbox's S3 to the object's place and the books. */
@Tag("integration")
class EnforcementFlowTest extends EnforcerIntegrationTest {

    @Test
    void anHonestPngIsAcceptedPromotedAndBooked() {
        String user = newUser();
        byte[] body = png(5000);

        Signed signed = upload(user, "avatar", "image/png", body);
        var upload = awaitVerdict(signed.key());

        assertThat(upload.status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(upload.reasons()).isEmpty();
        assertThat(upload.realSize()).isEqualTo(5000);
        assertThat(upload.detectedType()).isEqualTo("image/png");
        assertThat(upload.currentKey()).isEqualTo(layout.servedKey(signed.key()));
        assertThat(exists(bucket(), signed.key()))
                .as("nothing stays in the incoming area")
                .isFalse();
        var served = s3.headObject(r -> r.bucket(bucket()).key(layout.servedKey(signed.key())));
        assertThat(served.contentType()).isEqualTo("image/png");
        assertThat(served.metadata()).containsEntry("user-id", user).containsEntry(VerdictMetadata.VERDICT, "accepted");
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_used")).isEqualTo(5000L);
        assertThat(account.get("objects_used")).isEqualTo(1L);
        assertThat(account.get("bytes_reserved")).isEqualTo(0L);
    }

    @Test
    void htmlDeclaredAsPngIsQuarantinedForTypeMismatch() {
        String user = newUser();
        Signed signed = upload(user, "avatar", "image/png", html(3000));

        var upload = awaitVerdict(signed.key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("TYPE_MISMATCH");
        assertThat(upload.detectedType()).isEqualTo("text/html");
        assertThat(upload.action()).isEqualTo(UploadAction.QUARANTINED);
        assertThat(exists(bucket(), signed.key())).isFalse();
        assertThat(exists(bucket(), layout.servedKey(signed.key())))
                .as("never served")
                .isFalse();
        var quarantined = s3.headObject(r -> r.bucket(bucket()).key(layout.quarantineKey(signed.key())));
        assertThat(quarantined.metadata().get(VerdictMetadata.REASONS)).contains("TYPE_MISMATCH");
        assertThat(quarantined.metadata())
                .containsEntry(VerdictMetadata.USER, user)
                .containsEntry(VerdictMetadata.DETECTED_TYPE, "text/html");
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_used")).isEqualTo(0L);
        assertThat(account.get("bytes_reserved")).isEqualTo(0L);
        assertThat(account.get("violations")).isEqualTo(1);
    }

    @Test
    void anExecutableDeclaredAsPngIsQuarantined() {
        Signed signed = upload(newUser(), "avatar", "image/png", exe(4096));

        var upload = awaitVerdict(signed.key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("TYPE_MISMATCH");
        assertThat(exists(bucket(), layout.quarantineKey(signed.key()))).isTrue();
    }

    @Test
    void anObjectWrittenWithoutAReservationIsRejectedForIt() {
        String key = layout.newIncomingKey("intruder", "image/png");

        s3.putObject(r -> r.bucket(bucket()).key(key).contentType("image/png"), RequestBody.fromBytes(png(100)));
        var upload = awaitVerdict(key);

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("NO_RESERVATION");
        assertThat(upload.action()).isEqualTo(UploadAction.QUARANTINED);
        assertThat(exists(bucket(), key)).isFalse();
        assertThat(exists(bucket(), layout.quarantineKey(key))).isTrue();
    }

    @Test
    void aDeleteProfileDeletesAndBooksTheReasonFirst() {
        Signed signed = upload(newUser(), "scratch", "image/png", html(200));

        var upload = awaitVerdict(signed.key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.action()).isEqualTo(UploadAction.DELETED);
        assertThat(upload.reasons()).contains("TYPE_MISMATCH");
        await().atMost(Duration.ofSeconds(10)).until(() -> !exists(bucket(), signed.key()));
        assertThat(exists(bucket(), layout.quarantineKey(signed.key()))).isFalse();
    }

    @Test
    void otherBytesWrittenOverAReservationAreRejectedForTheirSize() {
        String user = newUser();
        Signed signed = sign(user, "avatar", "image/png", 1000);

        s3.putObject(
                r -> r.bucket(bucket()).key(signed.key()).contentType("image/png"), RequestBody.fromBytes(png(4000)));
        var upload = awaitVerdict(signed.key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("SIZE_MISMATCH");
        assertThat(upload.realSize()).isEqualTo(4000);
    }

    @Test
    void aUserPastTheViolationThresholdIsBlockedAndCannotSignAnymore() {
        String user = "three-strikes";
        for (int i = 0; i < 3; i++) {
            awaitVerdict(upload(user, "avatar", "image/png", html(500 + i)).key());
        }

        var account = ledger.account(user).orElseThrow();
        assertThat(account.violations()).isGreaterThanOrEqualTo(3);
        assertThat(account.isBlocked(Instant.now())).isTrue();
        var refused = reserve(user, 10, Instant.now().plusSeconds(300), Instant.now());
        assertThat(refused).isInstanceOf(ReserveOutcome.Blocked.class);
    }

    @Test
    void deletingAnAcceptedObjectGivesItsBytesBack() {
        String user = newUser();
        Signed signed = upload(user, "avatar", "image/png", png(2500));
        awaitVerdict(signed.key());
        assertThat(account(user).orElseThrow().get("bytes_used")).isEqualTo(2500L);

        s3.deleteObject(r -> r.bucket(bucket()).key(layout.servedKey(signed.key())));

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        ledger.findByKey(bucket(), signed.key()).orElseThrow().status() == UploadStatus.REMOVED);
        assertThat(account(user).orElseThrow().get("bytes_used")).isEqualTo(0L);
        assertThat(account(user).orElseThrow().get("objects_used")).isEqualTo(0L);
    }

    @Test
    void aReservationWhoseUrlExpiredUnusedIsReleased() {
        String user = newUser();
        var outcome =
                reserve(user, 777, Instant.now().minusSeconds(1), Instant.now().minusSeconds(2));
        String key = ((ReserveOutcome.Reserved) outcome).upload().objectKey();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger.findByKey(bucket(), key).orElseThrow().status() == UploadStatus.EXPIRED);
        assertThat(account(user).orElseThrow().get("bytes_reserved")).isEqualTo(0L);
        assertThat(account(user).orElseThrow().get("objects_reserved")).isEqualTo(0L);
    }
}
