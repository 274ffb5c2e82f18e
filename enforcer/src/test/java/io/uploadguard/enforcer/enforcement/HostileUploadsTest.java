package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.enforcer.TestEvents;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What attackers upload, through the real pipeline (signed exactly as the signer signs, PUT to the
 * sandbox's S3, judged by the enforcer from its queue): each ends as specified.
 */
@Tag("integration")
class HostileUploadsTest extends EnforcerIntegrationTest {

    static List<Arguments> disguises() {
        String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                + "<!-- " + "x".repeat(200) + " -->\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.domain)</script></svg>\n";
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] truncatedPng = {(byte) 0x89, 'P', 'N', 'G'};
        return List.of(
                Arguments.of(
                        "SVG with script declared as PNG",
                        "image/png",
                        svg.getBytes(StandardCharsets.UTF_8),
                        "image/svg+xml"),
                Arguments.of("HTML declared as JPEG", "image/jpeg", html(400), "text/html"),
                Arguments.of("EXE declared as JPEG", "image/jpeg", exe(512), "application/x-msdownload"),
                Arguments.of("ZIP declared as JPEG", "image/jpeg", pad(zip, 300, (byte) 0), "application/zip"),
                Arguments.of("truncated PNG header", "image/png", truncatedPng, "application/octet-stream"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("disguises")
    void aDisguisedFileIsQuarantinedForItsType(String name, String declared, byte[] bytes, String detected) {
        var upload = awaitVerdict(upload(newUser(), "avatar", declared, bytes).key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.reasons()).contains("TYPE_MISMATCH", "TYPE_NOT_ALLOWED");
        assertThat(upload.detectedType()).isEqualTo(detected);
        assertThat(upload.action()).isEqualTo(UploadAction.QUARANTINED);
        assertThat(exists(bucket(), layout.servedKey(upload.objectKey()))).isFalse();
    }

    @Test
    void aGifJavascriptPolyglotIsJudgedByItsMagicBytes() {
        // "GIF89a=..." parses as JavaScript too; by its bytes it IS a GIF, which no profile here allows
        byte[] polyglot = "GIF89a=1;alert(document.cookie)//".getBytes(StandardCharsets.US_ASCII);
        var upload =
                awaitVerdict(upload(newUser(), "avatar", "image/png", polyglot).key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.detectedType()).isEqualTo("image/gif");
        assertThat(upload.reasons()).contains("TYPE_MISMATCH", "TYPE_NOT_ALLOWED");
    }

    @Test
    void anObjectExactlyAtTheCapIsAcceptedAndOneByteOverIsRejected() {
        int cap = 1024 * 1024; // the "scratch" profile's 1MB
        var atCap =
                awaitVerdict(upload(newUser(), "scratch", "image/png", png(cap)).key());
        assertThat(atCap.status()).isEqualTo(UploadStatus.ACCEPTED);

        // the signer refuses to sign above the cap; an object written over a reservation can still be larger
        String user = newUser();
        Signed signed = sign(user, "scratch", "image/png", 1000);
        s3.putObject(
                r -> r.bucket(bucket()).key(signed.key()).contentType("image/png"),
                RequestBody.fromBytes(png(cap + 1)));
        var over = awaitVerdict(signed.key());
        assertThat(over.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(over.reasons()).contains("TOO_LARGE", "SIZE_MISMATCH");
        assertThat(over.action()).isEqualTo(UploadAction.DELETED);
    }

    @Test
    void anEmptyObjectWrittenOverAReservationIsRejected() {
        Signed signed = sign(newUser(), "avatar", "image/png", 10);
        s3.putObject(r -> r.bucket(bucket()).key(signed.key()).contentType("image/png"), RequestBody.empty());

        var upload = awaitVerdict(signed.key());

        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(upload.realSize()).isZero();
        assertThat(upload.reasons()).contains("SIZE_MISMATCH", "TYPE_MISMATCH");
    }

    @Test
    void anExtraUnsignedMetadataHeaderDoesNotChangeWhoTheObjectBelongsTo() {
        // S3 refuses this PUT; the sandbox's S3Proxy accepts it: attribution must come from the ledger
        String owner = newUser();
        Signed signed = sign(owner, "avatar", "image/png", 300);
        var headers = new java.util.LinkedHashMap<>(signed.headers());
        headers.put("x-amz-meta-user-id-override", "victim");
        int status = put(new Signed(signed.uploadId(), signed.key(), signed.url(), headers), html(300));
        assertThat(status).isEqualTo(200);

        var upload = awaitVerdict(signed.key());

        assertThat(upload.userId()).isEqualTo(owner);
        assertThat(upload.status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(account(owner).orElseThrow().get("violations")).isEqualTo(1);
        var quarantined = s3.headObject(r -> r.bucket(bucket()).key(layout.quarantineKey(signed.key())));
        assertThat(quarantined.metadata()).containsEntry(VerdictMetadata.USER, owner);
    }

    @Test
    void theSameUrlWritingAgainAfterTheVerdictIsDeletedBookedAndChargedOnce() {
        // If-None-Match only guards a key that exists: once the first object is promoted, S3 (and
        // the sandbox) let the same URL write again until it expires
        String owner = newUser();
        Signed signed = sign(owner, "avatar", "image/png", 500);
        assertThat(put(signed, png(500))).isEqualTo(200);
        assertThat(awaitVerdict(signed.key()).status()).isEqualTo(UploadStatus.ACCEPTED);

        assertThat(put(signed, png(500))).as("the replay is let through by S3").isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> !exists(bucket(), signed.key()));
        var upload = ledger.findByKey(bucket(), signed.key()).orElseThrow();
        assertThat(upload.status()).as("the first upload's verdict stands").isEqualTo(UploadStatus.ACCEPTED);
        assertThat(exists(bucket(), layout.servedKey(signed.key()))).isTrue();
        var account = account(owner).orElseThrow();
        assertThat(account.get("bytes_used")).as("the replay takes no quota").isEqualTo(500L);
        assertThat(account.get("objects_used")).isEqualTo(1L);
        assertThat(account.get("violations")).isEqualTo(1);
        var replays = jdbc.sql("SELECT reasons[1] AS reason, action, real_size FROM replayed_uploads "
                        + "WHERE object_key = :key")
                .param("key", signed.key())
                .query()
                .listOfRows();
        assertThat(replays).singleElement().satisfies(r -> {
            assertThat(r.get("reason")).isEqualTo("NO_RESERVATION");
            assertThat(r.get("action")).isEqualTo("DELETED");
            assertThat(r.get("real_size")).isEqualTo(500L);
        });

        // its event delivered again books nothing more
        double duplicates = duplicateCreates();
        sqs.sendMessage(r -> r.queueUrl(eventsQueueUrl()).messageBody(TestEvents.created(bucket(), signed.key(), 500)));
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicateCreates() > duplicates);
        assertThat(account(owner).orElseThrow().get("violations")).isEqualTo(1);
    }

    @Test
    void keysWithEveryCharacterClassAreEnforcedAndBookedUnderTheirExactKey() {
        List<String> keys = List.of(
                "a b+c",
                "percent%2Fencoded",
                "ünïcødé-日本",
                "quote'\"",
                "semi;colon=eq&amp",
                "tab\tand~tilde",
                "deep/er/and/deeper/still");
        for (String tail : keys) {
            String key = layout.incomingPrefix() + "chars-" + UUID.randomUUID() + "/" + tail;
            s3.putObject(r -> r.bucket(bucket()).key(key), RequestBody.fromString("no reservation"));
            var upload = awaitVerdict(key);
            assertThat(upload.objectKey()).isEqualTo(key);
            assertThat(upload.reasons()).contains("NO_RESERVATION");
            assertThat(exists(bucket(), layout.quarantineKey(key))).isTrue();
        }
    }

    @Test
    void anEventForAnotherBucketIsAcknowledgedWithoutTouchingAnything() {
        String key = layout.incomingPrefix() + "elsewhere/" + UUID.randomUUID() + ".png";
        sqs.sendMessage(
                r -> r.queueUrl(eventsQueueUrl()).messageBody(TestEvents.created("someone-elses-bucket", key, 10)));

        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().contains("kind=\"created\",outcome=\"ignored\""));
        assertThat(ledger.findByKey("someone-elses-bucket", key)).isEmpty();
    }

    private double duplicateCreates() {
        return scrape().lines()
                .filter(l -> l.startsWith("uploadguard_events_total{")
                        && l.contains("kind=\"created\"")
                        && l.contains("outcome=\"duplicate\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
