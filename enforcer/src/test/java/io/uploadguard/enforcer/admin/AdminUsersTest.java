package io.uploadguard.enforcer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.booking.ReserveOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** {@code GET /admin/users/{userId}}, block and unblock, against the real enforcer and ledger. */
@Tag("integration")
class AdminUsersTest extends AdminIntegrationTest {

    @Test
    void aUsersPageHasUsageLimitsViolationsAndUploadsWithVerdicts() {
        String user = newUser();
        Upload good = accepted(user, 1200);
        Upload bad = quarantined(user, 900);

        Reply reply = get(adminToken(), "/admin/users/" + path(user));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.get("userId").asString()).isEqualTo(user);
        assertThat(body.get("usage").get("bytesUsed").asLong()).isEqualTo(1200);
        assertThat(body.get("usage").get("objectsUsed").asLong()).isEqualTo(1);
        assertThat(body.get("usage").get("bytesReserved").asLong()).isZero();
        assertThat(body.get("usage").get("objectsReserved").asLong()).isZero();
        var defaults = quotas.forUser(user);
        assertThat(body.get("limits").get("maxBytes").asLong()).isEqualTo(defaults.maxBytes());
        assertThat(body.get("limits").get("maxObjects").asLong()).isEqualTo(defaults.maxObjects());
        assertThat(body.get("limits").get("blockDuration").asString())
                .isEqualTo(defaults.blockDuration().toString());
        assertThat(body.get("violations").asInt()).isEqualTo(1);
        assertThat(body.get("blocked").asBoolean()).isFalse();
        assertThat(body.get("blockedUntil").isNull()).isTrue();
        assertThat(body.has("nextCursor")).isFalse();
        assertThat(body.get("audit")).isEmpty();

        JsonNode uploads = body.get("uploads");
        assertThat(uploads).hasSize(2);
        JsonNode newest = uploads.get(0);
        assertThat(newest.get("uploadId").asString()).isEqualTo(bad.uploadId().toString());
        assertThat(newest.get("status").asString()).isEqualTo("REJECTED");
        assertThat(newest.get("action").asString()).isEqualTo("QUARANTINED");
        assertThat(newest.get("reasons").valueStream().map(JsonNode::asString)).contains("TYPE_MISMATCH");
        assertThat(newest.get("declaredType").asString()).isEqualTo("image/png");
        assertThat(newest.get("detectedType").asString()).isEqualTo("text/html");
        assertThat(newest.get("realSize").asLong()).isEqualTo(900);
        assertThat(newest.get("currentKey").asString()).isEqualTo(layout.quarantineKey(bad.objectKey()));
        JsonNode oldest = uploads.get(1);
        assertThat(oldest.get("uploadId").asString()).isEqualTo(good.uploadId().toString());
        assertThat(oldest.get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(oldest.get("reasons")).isEmpty();
        assertThat(oldest.get("currentKey").asString()).isEqualTo(layout.servedKey(good.objectKey()));
    }

    @Test
    void uploadsArePaginatedWithAnOpaqueCursor() {
        String user = newUser();
        List<String> signed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            signed.add(0, sign(user, "avatar", "image/png", 10 + i).uploadId().toString());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply reply = get(
                    adminToken(),
                    "/admin/users/" + path(user) + "?limit=2" + (cursor == null ? "" : "&cursor=" + path(cursor)));
            assertThat(reply.status()).isEqualTo(200);
            reply.body().get("uploads").forEach(u -> seen.add(u.get("uploadId").asString()));
            cursor = reply.body().has("nextCursor")
                    ? reply.body().get("nextCursor").asString()
                    : null;
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(signed).doesNotHaveDuplicates();
    }

    @Test
    void anUnknownUserIs404() {
        String nobody = newUser();
        for (Reply reply : List.of(
                get(adminToken(), "/admin/users/" + nobody),
                post(adminToken(), "/admin/users/" + nobody + "/block", Map.of("reason", "r", "duration", "PT1H")),
                post(adminToken(), "/admin/users/" + nobody + "/unblock", reason("r")))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.error()).isEqualTo("not_found");
        }
        assertThat(ledger.account(nobody)).as("a typo creates no account").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            limit zero          | limit=0
            limit above max     | limit=201
            limit not a number  | limit=ten
            audit limit zero    | auditLimit=0
            bad cursor          | cursor=bm90LWEtY3Vyc29y
            """)
    void badPagingIs400(String name, String query) {
        String user = newUser();
        sign(user, "avatar", "image/png", 10);

        Reply reply = get(adminToken(), "/admin/users/" + path(user) + "?" + query);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("malformed_request");
    }

    @Test
    void blockStopsSigningUntilItEndsAndIsInTheUsersHistory() {
        String user = newUser();
        accepted(user, 100);
        Instant before = Instant.now();

        Reply reply = post(
                adminToken(),
                "/admin/users/" + path(user) + "/block",
                Map.of("reason", "rejections spike: phishing pages", "duration", "PT2H"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("blocked").asBoolean()).isTrue();
        Instant until = Instant.parse(reply.body().get("blockedUntil").asString());
        assertThat(until)
                .isBetween(before.plus(Duration.ofHours(2)), Instant.now().plus(Duration.ofHours(2)));
        assertThat(reply.body().get("blockedReason").asString())
                .isEqualTo("blocked by an operator: rejections spike: phishing pages");
        assertThat(reserve(user))
                .isInstanceOfSatisfying(
                        ReserveOutcome.Blocked.class,
                        blocked -> assertThat(blocked.until()).isEqualTo(until));

        JsonNode page = get(adminToken(), "/admin/users/" + path(user)).body();
        assertThat(page.get("blocked").asBoolean()).isTrue();
        assertThat(page.get("blockedUntil").asString()).isEqualTo(until.toString());
        JsonNode entry = page.get("audit").get(0);
        assertThat(entry.get("action").asString()).isEqualTo("BLOCK");
        assertThat(entry.get("actor").asString()).isEqualTo(ADMIN);
        assertThat(entry.get("reason").asString()).isEqualTo("rejections spike: phishing pages");
        assertThat(entry.get("userId").asString()).isEqualTo(user);
        assertThat(entry.get("details").get("duration").asString()).isEqualTo("PT2H");
        assertThat(Instant.parse(entry.get("at").asString())).isBetween(before, Instant.now());
    }

    @Test
    void unblockLiftsTheBlockAndResetsViolations() {
        String user = newUser(); // blocked at the default third violation
        for (int i = 0; i < 3; i++) {
            quarantined(user, 300 + i);
        }
        assertThat(ledger.account(user).orElseThrow().isBlocked(Instant.now())).isTrue();
        assertThat(reserve(user)).isInstanceOf(ReserveOutcome.Blocked.class);

        Reply reply = post(adminToken(), "/admin/users/" + path(user) + "/unblock", reason("false positives, see #42"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("blocked").asBoolean()).isFalse();
        assertThat(reply.body().get("violations").asInt()).isZero();
        assertThat(reply.body().get("blockedUntil").isNull()).isTrue();
        assertThat(reserve(user)).isInstanceOf(ReserveOutcome.Reserved.class);
        JsonNode entry = get(adminToken(), "/admin/users/" + path(user))
                .body()
                .get("audit")
                .get(0);
        assertThat(entry.get("action").asString()).isEqualTo("UNBLOCK");
        assertThat(entry.get("details").get("previousViolations").asInt()).isEqualTo(3);
        assertThat(entry.get("details").get("wasBlocked").asBoolean()).isTrue();

        // the next violation counts from zero: not blocked again at once
        quarantined(user, 777);
        assertThat(ledger.account(user).orElseThrow().isBlocked(Instant.now())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            zero duration       | {"reason":"r","duration":"PT0S"}
            negative duration   | {"reason":"r","duration":"-PT1H"}
            over a year         | {"reason":"r","duration":"P366D"}
            not ISO-8601        | {"reason":"r","duration":"1 hour"}
            no duration         | {"reason":"r"}
            no reason           | {"duration":"PT1H"}
            blank reason        | {"reason":"   ","duration":"PT1H"}
            reason over 1000    | {"reason":"LONG","duration":"PT1H"}
            newline in reason   | {"reason":"a\\nFAKE LOG LINE","duration":"PT1H"}
            U+2028 in reason    | {"reason":"a\\u2028FAKE LOG LINE","duration":"PT1H"}
            U+2029 in reason    | {"reason":"a\\u2029FAKE LOG LINE","duration":"PT1H"}
            not JSON            | reason=r
            duration not text   | {"reason":"r","duration":3600}
            """)
    void aBadBlockIs400AndChangesNothing(String name, String body) {
        String user = newUser();
        accepted(user, 100);

        Reply reply =
                post(adminToken(), "/admin/users/" + path(user) + "/block", body.replace("LONG", "x".repeat(1001)));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("malformed_request");
        assertThat(reply.body().get("message").asString()).isNotBlank();
        assertThat(ledger.account(user).orElseThrow().blockedUntil()).isNull();
        assertThat(admin.auditFor(user, 10)).isEmpty();
    }

    @Test
    void anEmptyBlockOrUnblockIs400() {
        String user = newUser();
        accepted(user, 100);

        assertThat(post(adminToken(), "/admin/users/" + path(user) + "/block", null)
                        .error())
                .isEqualTo("malformed_request");
        assertThat(post(adminToken(), "/admin/users/" + path(user) + "/unblock", null)
                        .error())
                .isEqualTo("malformed_request");
        assertThat(admin.auditFor(user, 10)).isEmpty();
    }

    @Test
    void blockAndUnblockAreCounted() {
        String user = newUser();
        accepted(user, 100);
        post(adminToken(), "/admin/users/" + path(user) + "/block", Map.of("reason", "r", "duration", "PT1M"));
        post(adminToken(), "/admin/users/" + path(user) + "/unblock", reason("r"));
        post(adminToken(), "/admin/users/" + newUser() + "/block", Map.of("reason", "r", "duration", "PT1M"));

        String scrape = scrape();
        assertThat(scrape)
                .containsPattern(
                        "uploadguard_admin_actions_total\\{action=\"block\",[^}]*outcome=\"done\"[^}]*} [1-9]");
        assertThat(scrape)
                .containsPattern(
                        "uploadguard_admin_actions_total\\{action=\"unblock\",[^}]*outcome=\"done\"[^}]*} [1-9]");
        assertThat(scrape)
                .containsPattern(
                        "uploadguard_admin_actions_total\\{action=\"block\",[^}]*outcome=\"refused\"[^}]*} [1-9]");
        assertThat(scrape).doesNotContain(user).doesNotContain(ADMIN);
    }
}
