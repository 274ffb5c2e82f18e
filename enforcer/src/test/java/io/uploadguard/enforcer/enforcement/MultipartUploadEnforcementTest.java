package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Objects created by a multipart upload, as the signer creates them (owner metadata on
 * CreateMultipartUpload, the whole size reserved, parts uploaded, completed): their
 * {@code ObjectCreated:CompleteMultipartUpload} event goes through the same inspection, verdict,
 * promotion or quarantine and books as a single PUT's. At 12 MB they are also copied in parts
 * (the tests' large-copy threshold is 10 MB).
 */
@Tag("integration")
class MultipartUploadEnforcementTest extends EnforcerIntegrationTest {

    private static final int PART = 5 * 1024 * 1024;
    private static final int SIZE = 12 * 1024 * 1024;

    @Test
    void aVideoUploadedInPartsIsInspectedPromotedAndBookedAsASinglePutIs() {
        String user = newUser();
        byte[] body = mp4(SIZE);

        String key = uploadInParts(user, "video/mp4", body, "clip.mp4");
        var upload = awaitVerdict(key);

        assertThat(upload.status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(upload.reasons()).isEmpty();
        assertThat(upload.realSize()).isEqualTo(SIZE);
        assertThat(upload.detectedType()).isEqualTo("video/mp4");
        assertThat(upload.etag()).as("a multipart ETag").endsWith("-3\"");
        assertThat(upload.currentKey()).isEqualTo(layout.servedKey(key));
        assertThat(exists(bucket(), key))
                .as("nothing stays in the incoming area")
                .isFalse();
        var served = s3.headObject(r -> r.bucket(bucket()).key(layout.servedKey(key)));
        assertThat(served.contentType()).isEqualTo("video/mp4");
        assertThat(served.contentLength()).isEqualTo(SIZE);
        assertThat(served.contentDisposition()).isEqualTo("attachment; filename=\"clip.mp4\"");
        assertThat(served.metadata())
                .containsEntry("user-id", user)
                .containsEntry(VerdictMetadata.VERDICT, "accepted")
                .containsEntry(VerdictMetadata.DETECTED_TYPE, "video/mp4");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket()).key(layout.servedKey(key)))
                        .asByteArray())
                .isEqualTo(body);
        assertUsage(user, SIZE, 1, 0);
        assertThat(openUploadsAt(layout.servedKey(key))).as("no copy left open").isEmpty();
    }

    @Test
    void anExecutableOrAZipDeclaredAsVideoIsQuarantinedForItsType() {
        String user = newUser();
        String exe = uploadInParts(user, "video/mp4", exe(SIZE), null);
        String zip = uploadInParts(user, "video/mp4", zip(SIZE), null);

        for (String key : List.of(exe, zip)) {
            var upload = awaitVerdict(key);
            assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
            assertThat(upload.reasons()).contains("TYPE_MISMATCH");
            assertThat(upload.realSize()).isEqualTo(SIZE);
            assertThat(upload.action()).isEqualTo(UploadAction.QUARANTINED);
            assertThat(exists(bucket(), key)).isFalse();
            assertThat(exists(bucket(), layout.servedKey(key)))
                    .as("never served")
                    .isFalse();
            var quarantined = s3.headObject(r -> r.bucket(bucket()).key(layout.quarantineKey(key)));
            assertThat(quarantined.contentLength()).isEqualTo(SIZE);
            assertThat(quarantined.metadata().get(VerdictMetadata.REASONS)).contains("TYPE_MISMATCH");
        }
        assertThat(awaitVerdict(exe).detectedType()).isEqualTo("application/x-msdownload");
        assertThat(awaitVerdict(zip).detectedType()).isEqualTo("application/zip");
        var account = account(user).orElseThrow();
        assertThat(account.get("bytes_used")).isEqualTo(0L);
        assertThat(account.get("bytes_reserved")).isEqualTo(0L);
        assertThat(account.get("violations")).isEqualTo(2);
    }

    @Test
    void moreBytesThanReservedInPartsAreRejectedForTheirSize() {
        String user = newUser();
        String key = reserve(user, "video/mp4", SIZE - 1, null);

        putInParts(key, user, "video/mp4", mp4(SIZE));
        var upload = awaitVerdict(key);

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("SIZE_MISMATCH");
        assertThat(upload.realSize()).isEqualTo(SIZE);
        assertUsage(user, 0, 0, 0);
    }

    /** Reserves as the signer does, then uploads {@code body} in 5 MB parts and completes. */
    private String uploadInParts(String user, String contentType, byte[] body, String filename) {
        String key = reserve(user, contentType, body.length, filename);
        putInParts(key, user, contentType, body);
        return key;
    }

    private String reserve(String user, String contentType, long size, String filename) {
        String key = layout.newIncomingKey(user, contentType);
        var outcome = ledger.reserve(
                new ReservationRequest(
                        UUID.randomUUID(),
                        user,
                        "video",
                        bucket(),
                        key,
                        contentType,
                        size,
                        null,
                        filename,
                        Instant.now().plusSeconds(3600)),
                quotas.forUser(user),
                Instant.now());
        assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
        return key;
    }

    private void putInParts(String key, String user, String contentType, byte[] body) {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket())
                        .key(key)
                        .contentType(contentType)
                        .metadata(Map.of(
                                "user-id", user, "upload-id", UUID.randomUUID().toString())))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int start = 0; start < body.length; start += PART) {
            int number = parts.size() + 1;
            byte[] part = Arrays.copyOfRange(body, start, Math.min(start + PART, body.length));
            String eTag = s3.uploadPart(
                            r -> r.bucket(bucket()).key(key).uploadId(uploadId).partNumber(number),
                            RequestBody.fromBytes(part))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
        }
        s3.completeMultipartUpload(
                r -> r.bucket(bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    /** Only at this object's destination: other tests of the shared sandbox leave uploads of their own open. */
    private List<String> openUploadsAt(String key) {
        return s3.listMultipartUploads(r -> r.bucket(bucket()).prefix(key)).uploads().stream()
                .map(u -> u.key())
                .filter(key::equals)
                .toList();
    }

    /** An ISO base media file: an {@code ftyp} box of brand mp42, then noise. */
    private static byte[] mp4(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        byte[] ftyp = HexFormat.of().parseHex("00000018" + hex("ftyp") + hex("mp42") + "00000000" + hex("mp42isom"));
        System.arraycopy(ftyp, 0, bytes, 0, ftyp.length);
        return bytes;
    }

    private static byte[] zip(int size) {
        byte[] header = HexFormat.of().parseHex("504b0304140000000800" + "0000210000000000000000000000000000000500");
        byte[] bytes = pad(header, size, (byte) 0);
        System.arraycopy("a.txt".getBytes(StandardCharsets.US_ASCII), 0, bytes, header.length, 5);
        return bytes;
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
