package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.enforcer.enforcement.VerdictMetadata;
import io.uploadguard.enforcer.scanning.TestFiles;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.admin.AdminAction;
import io.uploadguard.ledger.admin.AuditEntry;
import io.uploadguard.sandbox.client.ClamdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * Listing, releasing and purging quarantined objects: objects quarantined the real way (HTML
 * uploaded as PNG through a signed PUT), moved in the sandbox's real S3, booked in its PostgreSQL.
 */
@Tag("integration")
class AdminQuarantineTest extends AdminIntegrationTest {

    /** Configured in the base class with max-bytes 6000; only the over-quota test uses it. */
    private static final String SMALL_QUOTA_USER = "admin-small-quota";

    @Test
    void theQuarantineListsNewestFirstWithReasonsTypesAndSizes() {
        String user = newUser();
        accepted(user, 500);
        List<Upload> bad = new ArrayList<>();
        // three violations block the user: nothing more is uploaded after them
        for (int i = 0; i < 3; i++) {
            bad.add(0, quarantined(user, 1000 + i));
        }

        Reply reply = get(adminToken(), "/admin/quarantine?user=" + path(user));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode items = reply.body().get("items");
        assertThat(items).hasSize(3);
        assertThat(reply.body().has("nextCursor")).isFalse();
        for (int i = 0; i < 3; i++) {
            JsonNode item = items.get(i);
            Upload upload = bad.get(i);
            assertThat(item.get("uploadId").asString())
                    .isEqualTo(upload.uploadId().toString());
            assertThat(item.get("userId").asString()).isEqualTo(user);
            assertThat(item.get("reasons").valueStream().map(JsonNode::asString))
                    .containsExactlyElementsOf(upload.reasons());
            assertThat(item.get("detectedType").asString()).isEqualTo("text/html");
            assertThat(item.get("declaredType").asString()).isEqualTo("image/png");
            assertThat(item.get("size").asLong()).isEqualTo(upload.realSize());
            assertThat(item.get("declaredSize").asLong()).isEqualTo(upload.declaredSize());
            assertThat(item.get("bucket").asString()).isEqualTo(bucket());
            assertThat(item.get("key").asString()).isEqualTo(layout.quarantineKey(upload.objectKey()));
            assertThat(item.get("incomingKey").asString()).isEqualTo(upload.objectKey());
            assertThat(item.get("quarantinedAt").asString())
                    .isEqualTo(upload.settledAt().toString());
            assertThat(item.get("uploadedAt").asString())
                    .isEqualTo(upload.createdAt().toString());
        }
    }

    @Test
    void aMalwareUploadShowsItsSignatureNamesInTheQuarantineAndTheUsersHistory() {
        Assumptions.assumeTrue(
                ClamdServer.unavailableReason().isEmpty(),
                () -> "no clamd: " + ClamdServer.unavailableReason().orElse(""));
        String user = newUser();
        Upload other = quarantined(user, 800);
        byte[] pdf = TestFiles.pdf("admin malware");
        byte[] eicar = ClamdServer.EICAR.getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(pdf, pdf.length + eicar.length);
        System.arraycopy(eicar, 0, body, pdf.length, eicar.length);
        Upload malware =
                awaitVerdict(upload(user, "document", "application/pdf", body).key());
        assertThat(malware.reasons()).containsExactly("MALWARE");

        JsonNode items =
                get(adminToken(), "/admin/quarantine?user=" + path(user)).body().get("items");
        JsonNode history =
                get(adminToken(), "/admin/users/" + path(user)).body().get("uploads");

        for (JsonNode list : List.of(items, history)) {
            assertThat(list).hasSize(2);
            assertThat(list.get(0).get("uploadId").asString())
                    .isEqualTo(malware.uploadId().toString());
            assertThat(list.get(0).get("signatures").valueStream().map(JsonNode::asString))
                    .containsExactly(ClamdServer.EICAR_SIGNATURE);
            assertThat(list.get(1).get("uploadId").asString())
                    .isEqualTo(other.uploadId().toString());
            assertThat(list.get(1).has("signatures")).as("no scan finding").isFalse();
        }
    }

    @Test
    void theQuarantineFiltersByReasonAndPages() {
        String user = newUser();
        for (int i = 0; i < 3; i++) {
            quarantined(user, 700 + i);
        }
        String base = "/admin/quarantine?user=" + path(user);

        assertThat(get(adminToken(), base + "&reason=type_mismatch").body().get("items"))
                .hasSize(3);
        assertThat(get(adminToken(), base + "&reason=TOO_LARGE").body().get("items"))
                .isEmpty();

        Reply first = get(adminToken(), base + "&limit=2");
        assertThat(first.body().get("items")).hasSize(2);
        String cursor = first.body().get("nextCursor").asString();
        Reply second = get(adminToken(), base + "&limit=2&cursor=" + path(cursor));
        assertThat(second.body().get("items")).hasSize(1);
        assertThat(second.body().has("nextCursor")).isFalse();
        List<String> ids = new ArrayList<>();
        first.body().get("items").forEach(i -> ids.add(i.get("uploadId").asString()));
        second.body().get("items").forEach(i -> ids.add(i.get("uploadId").asString()));
        assertThat(ids).doesNotHaveDuplicates().hasSize(3);

        assertThat(get(adminToken(), base + "&reason=EVIL").error()).isEqualTo("malformed_request");
        assertThat(get(adminToken(), base + "&cursor=garbage").error()).isEqualTo("malformed_request");
        assertThat(get(adminToken(), base + "&limit=500").error()).isEqualTo("malformed_request");
        assertThat(get(adminToken(), "/admin/quarantine").status())
                .as("unfiltered")
                .isEqualTo(200);
    }

    @Test
    void releaseMovesTheObjectToServedAndBooksItAsAccepted() {
        String user = newUser();
        Upload upload = quarantined(user, 2000);
        String served = layout.servedKey(upload.objectKey());
        String quarantineKey = upload.currentKey();

        Reply reply = post(
                adminToken(),
                "/admin/quarantine/" + upload.uploadId() + "/release",
                reason("a polyglot test file the customer needs"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(body.get("action").asString()).isEqualTo("PROMOTED");
        assertThat(body.get("key").asString()).isEqualTo(served);
        assertThat(body.get("size").asLong()).isEqualTo(2000);
        assertThat(body.get("forced").asBoolean()).isFalse();
        assertThat(body.get("repeated").asBoolean()).isFalse();
        assertThat(body.get("usage").get("bytesUsed").asLong()).isEqualTo(2000);
        assertThat(body.get("usage").get("objectsUsed").asLong()).isEqualTo(1);

        var head = s3.headObject(r -> r.bucket(bucket()).key(served));
        assertThat(head.contentLength()).isEqualTo(2000);
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(head.contentDisposition())
                .as("a released copy is served as an attachment too")
                .isEqualTo("attachment; filename=\"download\"");
        assertThat(head.metadata())
                .containsEntry(VerdictMetadata.VERDICT, "accepted")
                .containsEntry(VerdictMetadata.USER, user)
                .doesNotContainKey(VerdictMetadata.REASONS);
        assertThat(exists(bucket(), quarantineKey)).isFalse();
        Upload booked = ledger.findUpload(upload.uploadId()).orElseThrow();
        assertThat(booked.status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(booked.currentKey()).isEqualTo(served);
        assertThat(accountLong(user, "bytes_used")).isEqualTo(2000);
        assertThat(get(adminToken(), "/admin/quarantine?user=" + path(user))
                        .body()
                        .get("items"))
                .isEmpty();

        JsonNode entry = get(adminToken(), "/admin/users/" + path(user))
                .body()
                .get("audit")
                .get(0);
        assertThat(entry.get("action").asString()).isEqualTo("RELEASE");
        assertThat(entry.get("uploadId").asString()).isEqualTo(upload.uploadId().toString());
        assertThat(entry.get("actor").asString()).isEqualTo(ADMIN);
        assertThat(entry.get("reason").asString()).isEqualTo("a polyglot test file the customer needs");

        // again: nothing changes
        Reply again = post(adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release", reason("again"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("repeated").asBoolean()).isTrue();
        assertThat(accountLong(user, "bytes_used")).isEqualTo(2000);
        assertThat(admin.auditForUpload(upload.uploadId())).hasSize(1);

        // and the released object is the user's like any accepted one: deleting it gives the bytes back
        s3.deleteObject(r -> r.bucket(bucket()).key(served));
        await().atMost(Duration.ofSeconds(30)).until(() -> accountLong(user, "bytes_used") == 0);
    }

    @Test
    void releaseOverQuotaIsRefusedThenForced() {
        String user = SMALL_QUOTA_USER;
        Upload bad = quarantined(user, 3000);
        accepted(user, 4000);
        String served = layout.servedKey(bad.objectKey());

        Reply refused = post(adminToken(), "/admin/quarantine/" + bad.uploadId() + "/release", reason("looks fine"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("quota_exceeded");
        assertThat(refused.body().get("message").asString())
                .contains("7000")
                .contains("6000")
                .contains("force=true");
        assertThat(exists(bucket(), bad.currentKey())).as("still in quarantine").isTrue();
        assertThat(exists(bucket(), served)).as("never served").isFalse();
        assertThat(ledger.findUpload(bad.uploadId()).orElseThrow()).isEqualTo(bad);
        assertThat(accountLong(user, "bytes_used")).isEqualTo(4000);
        assertThat(accountLong(user, "objects_used")).isEqualTo(1);
        assertThat(admin.auditFor(user, 10)).as("a refusal changes nothing").isEmpty();

        Reply forced = post(
                adminToken(),
                "/admin/quarantine/" + bad.uploadId() + "/release?force=true",
                reason("customer bought more space"));

        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.body().get("forced").asBoolean()).isTrue();
        assertThat(forced.body().get("usage").get("bytesUsed").asLong()).isEqualTo(7000);
        assertThat(accountLong(user, "bytes_used")).isEqualTo(7000);
        assertThat(accountLong(user, "objects_used")).isEqualTo(2);
        assertThat(accountLong(user, "bytes_reserved")).isZero();
        assertThat(exists(bucket(), served)).isTrue();
        assertThat(exists(bucket(), bad.currentKey())).isFalse();
        AuditEntry entry = admin.auditFor(user, 1).get(0);
        assertThat(entry.action()).isEqualTo(AdminAction.RELEASE);
        assertThat(entry.details()).contains("\"force\": true").contains("\"overQuota\": true");
        assertThat(scrape())
                .containsPattern(
                        "uploadguard_admin_actions_total\\{action=\"release\",[^}]*outcome=\"refused\"[^}]*} [1-9]");
    }

    @Test
    void aReleaseThatCrashedAfterTheMoveIsFinishedByRepeatingIt() {
        String user = newUser();
        Upload upload = quarantined(user, 1800);
        String served = layout.servedKey(upload.objectKey());
        CRASH_AFTER_ACT.add(served);

        Reply crashed = post(adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release", reason("ok"));

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(exists(bucket(), served)).isTrue();
        assertThat(exists(bucket(), upload.currentKey())).isFalse();
        assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().status()).isEqualTo(UploadStatus.REJECTED);
        assertThat(accountLong(user, "bytes_used")).isZero();

        Reply retried = post(adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release", reason("ok"));

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("repeated").asBoolean()).isFalse();
        assertThat(ledger.findUpload(upload.uploadId()).orElseThrow().status()).isEqualTo(UploadStatus.ACCEPTED);
        assertThat(accountLong(user, "bytes_used")).isEqualTo(1800);
        assertThat(accountLong(user, "objects_used")).isEqualTo(1);
        assertThat(exists(bucket(), served)).isTrue();
    }

    @Test
    void purgeBooksTheReasonFirstThenDeletes() {
        String user = newUser();
        Upload upload = quarantined(user, 1500);
        String quarantineKey = upload.currentKey();
        var accountBefore = account(user).orElseThrow();
        // stop between the booking and the delete
        CRASH_AFTER_ACT.add(quarantineKey);

        Reply crashed = delete(adminToken(), "/admin/quarantine/" + upload.uploadId(), reason("malware sample"));

        assertThat(crashed.status()).isEqualTo(500);
        Upload booked = ledger.findUpload(upload.uploadId()).orElseThrow();
        assertThat(booked.action()).as("booked before anything was deleted").isEqualTo(UploadAction.PURGED);
        assertThat(booked.currentKey()).isNull();
        assertThat(booked.removedAt()).isNotNull();
        assertThat(admin.auditForUpload(upload.uploadId()))
                .extracting(AuditEntry::reason)
                .containsExactly("malware sample");
        assertThat(exists(bucket(), quarantineKey)).as("not deleted yet").isTrue();

        Reply retried = delete(adminToken(), "/admin/quarantine/" + upload.uploadId() + "?reason=finish", null);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("repeated").asBoolean()).isTrue();
        assertThat(exists(bucket(), quarantineKey)).isFalse();
        assertThat(admin.auditForUpload(upload.uploadId()))
                .as("the repeat changed nothing")
                .hasSize(1);
        assertThat(account(user).orElseThrow()).isEqualTo(accountBefore);
    }

    @Test
    void purgeDeletesTheObjectAndShowsInTheUsersHistory() {
        String user = newUser();
        Upload upload = quarantined(user, 1100);

        Reply reply = delete(adminToken(), "/admin/quarantine/" + upload.uploadId() + "?reason=phishing%20kit", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("action").asString()).isEqualTo("PURGED");
        assertThat(reply.body().get("status").asString()).isEqualTo("REJECTED");
        assertThat(reply.body().get("repeated").asBoolean()).isFalse();
        assertThat(reply.body().get("purgedAt").isNull()).isFalse();
        assertThat(exists(bucket(), upload.currentKey())).isFalse();
        assertThat(get(adminToken(), "/admin/quarantine?user=" + path(user))
                        .body()
                        .get("items"))
                .isEmpty();
        JsonNode page = get(adminToken(), "/admin/users/" + path(user)).body();
        JsonNode entry = page.get("audit").get(0);
        assertThat(entry.get("action").asString()).isEqualTo("PURGE");
        assertThat(entry.get("reason").asString()).isEqualTo("phishing kit");
        assertThat(entry.get("details").get("quarantineKey").asString()).isEqualTo(upload.currentKey());
        assertThat(page.get("uploads").get(0).get("action").asString()).isEqualTo("PURGED");

        Reply release = post(
                adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release?force=true", reason("too late"));
        assertThat(release.status()).isEqualTo(409);
        assertThat(release.error()).isEqualTo("not_quarantined");
        assertThat(scrape())
                .containsPattern(
                        "uploadguard_admin_actions_total\\{action=\"purge\",[^}]*outcome=\"done\"[^}]*} [1-9]");
    }

    @Test
    void unknownUploadsAre404AndOthersThanQuarantinedAre409() {
        String user = newUser();
        Upload good = accepted(user, 300);
        String unknown = UUID.randomUUID().toString();

        for (Reply reply : List.of(
                post(adminToken(), "/admin/quarantine/" + unknown + "/release", reason("r")),
                delete(adminToken(), "/admin/quarantine/" + unknown, reason("r")),
                post(adminToken(), "/admin/quarantine/not-a-uuid/release", reason("r")),
                delete(adminToken(), "/admin/quarantine/not-a-uuid", reason("r")))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.error()).isEqualTo("not_found");
        }
        for (Reply reply : List.of(
                post(adminToken(), "/admin/quarantine/" + good.uploadId() + "/release?force=true", reason("r")),
                delete(adminToken(), "/admin/quarantine/" + good.uploadId(), reason("r")))) {
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.error()).isEqualTo("not_quarantined");
        }
        assertThat(ledger.findUpload(good.uploadId()).orElseThrow()).isEqualTo(good);
        assertThat(exists(bucket(), good.currentKey())).isTrue();
    }

    @Test
    void releaseAndPurgeNeedAReason() {
        String user = newUser();
        Upload upload = quarantined(user, 600);

        for (Reply reply : List.of(
                post(adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release", null),
                post(adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release", Map.of("reason", " ")),
                post(adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release?force=maybe", reason("r")),
                delete(adminToken(), "/admin/quarantine/" + upload.uploadId(), null))) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("malformed_request");
        }
        assertThat(ledger.findUpload(upload.uploadId()).orElseThrow()).isEqualTo(upload);
        assertThat(exists(bucket(), upload.currentKey())).isTrue();
        assertThat(admin.auditFor(user, 10)).isEmpty();
    }

    @Test
    void anObjectOfNobodyCannotBeReleasedButCanBePurged() {
        String key = layout.newIncomingKey("intruder-" + UUID.randomUUID(), "image/png");
        s3.putObject(r -> r.bucket(bucket()).key(key).contentType("image/png"), RequestBody.fromBytes(png(100)));
        Upload upload = awaitVerdict(key);
        assertThat(upload.userId()).isNull();
        assertThat(upload.action()).isEqualTo(UploadAction.QUARANTINED);

        Reply release =
                post(adminToken(), "/admin/quarantine/" + upload.uploadId() + "/release?force=true", reason("r"));
        assertThat(release.status()).isEqualTo(409);
        assertThat(release.error()).isEqualTo("no_owner");
        assertThat(exists(bucket(), upload.currentKey())).isTrue();
        assertThat(exists(bucket(), layout.servedKey(key))).isFalse();

        assertThat(delete(adminToken(), "/admin/quarantine/" + upload.uploadId(), reason("not ours"))
                        .status())
                .isEqualTo(200);
        assertThat(exists(bucket(), upload.currentKey())).isFalse();
    }
}
