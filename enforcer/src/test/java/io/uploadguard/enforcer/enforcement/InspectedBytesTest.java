package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.FaultInjection;
import io.uploadguard.enforcer.TestEvents;
import io.uploadguard.ledger.UploadStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Issue 12: what is served is what was inspected; removals of served objects are checked against
 * S3; served copies are attachments unless their profile says inline.
 */
@Tag("integration")
class InspectedBytesTest extends EnforcerIntegrationTest {

    @Test
    void theSandboxRefusesACopyWhoseSourceNoLongerHasTheGivenETag() {
        String key = layout.servedKey(layout.newIncomingKey(newUser(), "image/png"));
        s3.putObject(r -> r.bucket(bucket()).key(key).contentType("image/png"), RequestBody.fromBytes(png(100)));

        assertThatThrownBy(() -> s3.copyObject(r -> r.sourceBucket(bucket())
                        .sourceKey(key)
                        .copySourceIfMatch("\"0123456789abcdef0123456789abcdef\"")
                        .destinationBucket(bucket())
                        .destinationKey(key + ".copy")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.deleteObject(r -> r.bucket(bucket()).key(key));
    }

    @Test
    void bytesWrittenAgainBetweenInspectionAndCopyAreInspectedAgainAndNeverServedUnseen() {
        String user = newUser();
        Signed signed = sign(user, "avatar", "image/png", 3000);
        byte[] swapped = html(3000);
        // the same key, length, stored type and metadata, other bytes: what a second PUT with the same
        // URL would write once the key is free again
        FaultInjection.AFTER_INSPECT.put(
                signed.key(),
                () -> s3.putObject(
                        r -> r.bucket(bucket())
                                .key(signed.key())
                                .contentType("image/png")
                                .metadata(Map.of(
                                        "user-id",
                                        user,
                                        "upload-id",
                                        signed.uploadId().toString())),
                        RequestBody.fromBytes(swapped)));

        assertThat(put(signed, png(3000))).isEqualTo(200);
        var upload = awaitVerdict(signed.key());

        assertThat(FaultInjection.AFTER_INSPECT)
                .as("the object was swapped after its first inspection")
                .doesNotContainKey(signed.key());
        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("TYPE_MISMATCH");
        assertThat(upload.detectedType()).isEqualTo("text/html");
        assertThat(exists(bucket(), layout.servedKey(signed.key())))
                .as("the swapped bytes never reach served/")
                .isFalse();
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket()).key(layout.quarantineKey(signed.key())))
                        .asByteArray())
                .as("what was judged is what is quarantined")
                .isEqualTo(swapped);
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_used")).isEqualTo(0L);
        assertThat(account.get("objects_used")).isEqualTo(0L);
    }

    @Test
    void aForgedRemovalOfAServedObjectThatIsStillThereLeavesTheBooksUnchangedAndIsAcknowledged() {
        String user = newUser();
        Signed signed = upload(user, "avatar", "image/png", png(4000));
        var accepted = awaitVerdict(signed.key());
        assertThat(accepted.status()).isEqualTo(UploadStatus.ACCEPTED);
        String served = layout.servedKey(signed.key());
        var accountBefore = account(user).orElseThrow();

        pauseListenerAndPurge();
        String forged = TestEvents.removed(bucket(), served);
        sqs.sendMessage(r -> r.queueUrl(eventsQueueUrl()).messageBody(forged));
        resumeListener();
        await().atMost(Duration.ofSeconds(30)).until(this::queueDrained);

        assertThat(exists(bucket(), served)).isTrue();
        var after = ledger.findByKey(bucket(), signed.key()).orElseThrow();
        assertThat(after.status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(after.currentKey()).isEqualTo(served);
        assertThat(after.removedAt()).isNull();
        assertThat(account(user).orElseThrow()).isEqualTo(accountBefore);
        var deadLetters = sqs.receiveMessage(r ->
                        r.queueUrl(deadLetterQueueUrl()).maxNumberOfMessages(10).visibilityTimeout(0))
                .messages();
        assertThat(deadLetters)
                .as("acknowledged, not left for the dead-letter queue")
                .noneMatch(m -> m.body().equals(forged));
    }

    @Test
    void aServedCopyIsAnAttachmentWithTheSanitizedDeclaredFilename() {
        assertThat(servedDisposition("avatar", "../evil \"name\"\r\n.png"))
                .isEqualTo("attachment; filename=\"evil _name___.png\"");
    }

    @Test
    void aServedCopyOfAnInlineProfileHasNoContentDisposition() {
        assertThat(servedDisposition("gallery", "cat.png")).isNull();
    }

    /** Uploads a PNG with a declared filename under the profile; the Content-Disposition of its served copy. */
    private String servedDisposition(String profile, String filename) {
        String user = newUser();
        Signed signed = sign(user, profile, "image/png", 2000, filename);
        assertThat(put(signed, png(2000))).isEqualTo(200);
        assertThat(awaitVerdict(signed.key()).status()).isEqualTo(UploadStatus.ACCEPTED);
        return s3.headObject(r -> r.bucket(bucket()).key(layout.servedKey(signed.key())))
                .contentDisposition();
    }
}
