package io.uploadguard.ledger.admin;

import static io.uploadguard.ledger.LedgerTests.BUCKET;
import static io.uploadguard.ledger.LedgerTests.books;
import static io.uploadguard.ledger.LedgerTests.rejectDeleted;
import static io.uploadguard.ledger.LedgerTests.rejectQuarantined;
import static io.uploadguard.ledger.LedgerTests.request;
import static io.uploadguard.ledger.LedgerTests.reserved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.LedgerDatabaseExtension;
import io.uploadguard.ledger.LedgerTests;
import io.uploadguard.ledger.LedgerTests.Books;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.admin.ReleaseOutcome.AlreadyReleased;
import io.uploadguard.ledger.admin.ReleaseOutcome.NoOwner;
import io.uploadguard.ledger.admin.ReleaseOutcome.NotReleasable;
import io.uploadguard.ledger.admin.ReleaseOutcome.Released;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.booking.ReserveOutcome.Blocked;
import io.uploadguard.ledger.booking.SettleOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.QuotaKind;
import io.uploadguard.ledger.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(LedgerDatabaseExtension.class)
class AdminLedgerTest {

    private static final List<String> MISMATCH = List.of(Reason.TYPE_MISMATCH.name());
    private static final String ALICE = "ops-alice";
    /** PostgreSQL orders uuids by their bytes, unsigned; Java's UUID.compareTo compares signed longs. */
    private static final java.util.Comparator<UUID> POSTGRES_ORDER = java.util.Comparator.comparing(UUID::toString);

    private static QuotaLedger ledger;
    private static AdminLedger admin;

    private final KeyLayout layout = KeyLayout.DEFAULT;
    private final Instant now = LedgerTests.now();
    private final Instant later = now.plusSeconds(60);
    private final String user = LedgerTests.newUser("admin");
    /** What releases are checked against. */
    private final Quota quota = new Quota(10_000, 5, 1000, 3, Duration.ofHours(1));
    /** What test objects are made under: room for any number, never blocking. */
    private final Quota roomy = new Quota(1L << 40, 100_000, 100_000, 1_000_000, Duration.ofHours(1));

    @BeforeAll
    static void connect(QuotaLedger quotaLedger, AdminLedger adminLedger) {
        ledger = quotaLedger;
        admin = adminLedger;
    }

    /** Reserves, and books the object rejected and quarantined, as the enforcer does. */
    Upload quarantined(String userId, long realSize, List<String> reasons, Instant at) {
        Upload upload = reserved(ledger, userId, realSize, roomy, at);
        rejectQuarantined(
                ledger, upload.objectKey(), reasons, realSize, layout.quarantineKey(upload.objectKey()), roomy, at);
        return ledger.findUpload(upload.uploadId()).orElseThrow();
    }

    Upload accepted(String userId, long size, Instant at) {
        Upload upload = reserved(ledger, userId, size, roomy, at);
        ledger.accept(BUCKET, upload.objectKey(), size, "image/png", "e", layout.servedKey(upload.objectKey()), at);
        return ledger.findUpload(upload.uploadId()).orElseThrow();
    }

    @Nested
    class BlockAndUnblock {

        @Test
        void blockRefusesReservationsUntilItEndsAndIsAudited() {
            reserved(ledger, user, 10, quota, now);

            Account blocked = admin.block(user, Duration.ofMinutes(30), "phishing pages", ALICE, now)
                    .orElseThrow();

            assertThat(blocked.blockedUntil()).isEqualTo(now.plus(Duration.ofMinutes(30)));
            assertThat(blocked.blockedReason()).isEqualTo("blocked by an operator: phishing pages");
            assertThat(blocked.isBlocked(later)).isTrue();
            assertThat(ledger.reserve(request(user, 1, later.plusSeconds(300)), quota, later))
                    .isEqualTo(new Blocked(now.plus(Duration.ofMinutes(30)), blocked.blockedReason()));
            assertThat(ledger.reserve(
                            request(user, 1, now.plus(Duration.ofHours(1))), quota, now.plus(Duration.ofMinutes(31))))
                    .isInstanceOf(ReserveOutcome.Reserved.class);

            List<AuditEntry> audit = admin.auditFor(user, 10);
            assertThat(audit).hasSize(1);
            AuditEntry entry = audit.get(0);
            assertThat(entry.action()).isEqualTo(AdminAction.BLOCK);
            assertThat(entry.actor()).isEqualTo(ALICE);
            assertThat(entry.at()).isEqualTo(now);
            assertThat(entry.reason()).isEqualTo("phishing pages");
            assertThat(entry.userId()).isEqualTo(user);
            assertThat(entry.uploadId()).isNull();
            assertThat(entry.details())
                    .contains("\"duration\": \"PT30M\"")
                    .contains("\"previousBlockedUntil\": null")
                    .contains("\"violations\": 0");
        }

        @Test
        void anOperatorBlockReplacesAnAutomaticOneEvenIfShorter() {
            Quota blockOnFirst = new Quota(10_000, 5, 1000, 1, Duration.ofDays(1));
            Upload upload = reserved(ledger, user, 10, blockOnFirst, now);
            rejectDeleted(ledger, upload.objectKey(), MISMATCH, 10, blockOnFirst, now);
            assertThat(ledger.account(user).orElseThrow().blockedUntil()).isEqualTo(now.plus(Duration.ofDays(1)));

            Account account = admin.block(user, Duration.ofMinutes(5), "shorter", ALICE, later)
                    .orElseThrow();

            assertThat(account.blockedUntil()).isEqualTo(later.plus(Duration.ofMinutes(5)));
            assertThat(account.violations()).isEqualTo(1);
            assertThat(admin.auditFor(user, 1).get(0).details())
                    .contains("\"previousBlockedUntil\": \"" + now.plus(Duration.ofDays(1)) + "\"")
                    .contains("1 violations, the last: TYPE_MISMATCH");
        }

        @Test
        void unknownUsersAreNeitherBlockedNorCreated() {
            assertThat(admin.block(user, Duration.ofHours(1), "typo", ALICE, now))
                    .isEmpty();
            assertThat(admin.unblock(user, ALICE, "typo", now)).isEmpty();

            assertThat(ledger.account(user)).isEmpty();
            assertThat(admin.auditFor(user, 10)).isEmpty();
        }

        @Test
        void blockNeedsADurationAReasonAndAnActor() {
            reserved(ledger, user, 10, quota, now);
            assertThatThrownBy(() -> admin.block(user, Duration.ZERO, "r", ALICE, now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> admin.block(user, Duration.ofSeconds(-1), "r", ALICE, now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> admin.block(user, Duration.ofHours(1), " ", ALICE, now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> admin.block(user, Duration.ofHours(1), "r", "", now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(ledger.account(user).orElseThrow().blockedUntil()).isNull();
        }

        @Test
        void unblockLiftsTheBlockAndForgivesTheViolations() {
            for (int i = 0; i < 3; i++) {
                Upload upload = reserved(ledger, user, 10, quota, now);
                rejectDeleted(ledger, upload.objectKey(), MISMATCH, 10, quota, now);
            }
            assertThat(ledger.account(user).orElseThrow().isBlocked(now)).isTrue();

            Account account =
                    admin.unblock(user, ALICE, "false positive", later).orElseThrow();

            assertThat(account.blockedUntil()).isNull();
            assertThat(account.blockedReason()).isNull();
            assertThat(account.violations()).isZero();
            assertThat(ledger.reserve(request(user, 1, later.plusSeconds(300)), quota, later))
                    .isInstanceOf(ReserveOutcome.Reserved.class);
            AuditEntry entry = admin.auditFor(user, 1).get(0);
            assertThat(entry.action()).isEqualTo(AdminAction.UNBLOCK);
            assertThat(entry.details()).contains("\"wasBlocked\": true").contains("\"previousViolations\": 3");

            // with the count reset, the next violation does not block at once
            Upload next = reserved(ledger, user, 10, quota, later);
            var outcome = rejectDeleted(ledger, next.objectKey(), MISMATCH, 10, quota, later);
            assertThat(((SettleOutcome.Settled) outcome).userBlocked()).isFalse();
            assertThat(ledger.account(user).orElseThrow().isBlocked(later)).isFalse();
        }

        @Test
        void unblockingAgainChangesOnlyTheAudit() {
            reserved(ledger, user, 10, quota, now);
            admin.unblock(user, ALICE, "first", now);
            Books before = books(ledger, user);

            Account again = admin.unblock(user, "ops-bob", "second", later).orElseThrow();

            assertThat(again.blockedUntil()).isNull();
            assertThat(books(ledger, user).uploads()).isEqualTo(before.uploads());
            assertThat(admin.auditFor(user, 10)).extracting(AuditEntry::actor).containsExactly("ops-bob", ALICE);
            assertThat(admin.auditFor(user, 10).get(0).details()).contains("\"wasBlocked\": false");
        }
    }

    @Nested
    class Release {

        @Test
        void releaseBooksTheObjectAsAcceptedAndCountsIt() {
            Upload upload = quarantined(user, 3000, MISMATCH, now);
            String served = layout.servedKey(upload.objectKey());

            ReleaseOutcome outcome = admin.releaseQuarantined(
                    upload.uploadId(), served, false, quota, ALICE, "a real PNG after all", later);

            assertThat(outcome).isInstanceOfSatisfying(Released.class, released -> {
                assertThat(released.forced()).isFalse();
                assertThat(released.upload().status()).isEqualTo(UploadStatus.ACCEPTED);
                assertThat(released.upload().action()).isEqualTo(UploadAction.PROMOTED);
                assertThat(released.upload().currentKey()).isEqualTo(served);
                assertThat(released.upload().reasons())
                        .as("what was overridden")
                        .isEqualTo(MISMATCH);
                assertThat(released.upload().settledAt()).isEqualTo(now);
                assertThat(released.account().bytesUsed()).isEqualTo(3000);
                assertThat(released.account().objectsUsed()).isEqualTo(1);
            });
            assertThat(outcome.changed()).isTrue();
            Account account = ledger.account(user).orElseThrow();
            assertThat(account.bytesUsed()).isEqualTo(3000);
            assertThat(account.objectsUsed()).isEqualTo(1);
            assertThat(account.violations())
                    .as("unblock forgives, release does not")
                    .isEqualTo(1);
            List<AuditEntry> audit = admin.auditForUpload(upload.uploadId());
            assertThat(audit).hasSize(1);
            assertThat(audit.get(0).action()).isEqualTo(AdminAction.RELEASE);
            assertThat(audit.get(0).userId()).isEqualTo(user);
            assertThat(audit.get(0).reason()).isEqualTo("a real PNG after all");
            assertThat(audit.get(0).details())
                    .contains("\"servedKey\": \"" + served + "\"")
                    .contains("\"realSize\": 3000")
                    .contains("\"force\": false")
                    .contains("\"TYPE_MISMATCH\"");
            assertThat(admin.auditFor(user, 10)).isEqualTo(audit);

            // the released object is now the user's like any accepted one: deleting it gives its bytes back
            assertThat(ledger.remove(BUCKET, served, later.plusSeconds(1))).isPresent();
            assertThat(ledger.account(user).orElseThrow().bytesUsed()).isZero();
        }

        @Test
        void releasingAgainChangesNothing() {
            Upload upload = quarantined(user, 3000, MISMATCH, now);
            String served = layout.servedKey(upload.objectKey());
            admin.releaseQuarantined(upload.uploadId(), served, false, quota, ALICE, "ok", later);
            Books before = books(ledger, user);

            ReleaseOutcome again = admin.releaseQuarantined(
                    upload.uploadId(), served, false, quota, ALICE, "ok", later.plusSeconds(1));

            assertThat(again).isInstanceOf(AlreadyReleased.class);
            assertThat(again.changed()).isFalse();
            assertThat(books(ledger, user)).isEqualTo(before);
            assertThat(admin.auditForUpload(upload.uploadId())).hasSize(1);
        }

        @Test
        void releaseOverTheByteQuotaIsRefusedUnlessForced() {
            accepted(user, 6000, now);
            reserved(ledger, user, 1000, roomy, now);
            Upload upload = quarantined(user, 3500, MISMATCH, now);
            String served = layout.servedKey(upload.objectKey());
            Books before = books(ledger, user);

            ReleaseOutcome refused =
                    admin.releaseQuarantined(upload.uploadId(), served, false, quota, ALICE, "ok", later);

            // used 6000 + reserved 1000 + 3500 > 10000: reserved uploads will count once accepted
            assertThat(refused).isInstanceOfSatisfying(ReleaseOutcome.OverQuota.class, q -> {
                assertThat(q.which()).isEqualTo(QuotaKind.BYTES);
                assertThat(q.limit()).isEqualTo(10_000);
                assertThat(q.wouldBe()).isEqualTo(10_500);
            });
            assertThat(books(ledger, user)).isEqualTo(before);
            assertThat(admin.auditFor(user, 10))
                    .as("a refusal changes nothing, audit included")
                    .isEmpty();

            ReleaseOutcome forced = admin.releaseQuarantined(
                    upload.uploadId(), served, true, quota, ALICE, "customer is paying for more", later);

            assertThat(forced)
                    .isInstanceOfSatisfying(
                            Released.class, r -> assertThat(r.forced()).isTrue());
            assertThat(ledger.account(user).orElseThrow().bytesUsed()).isEqualTo(9500);
            assertThat(admin.auditFor(user, 1).get(0).details())
                    .contains("\"force\": true")
                    .contains("\"overQuota\": true");
        }

        @Test
        void releaseOverTheObjectQuotaIsRefusedUnlessForced() {
            for (int i = 0; i < 5; i++) {
                accepted(user, 10, now);
            }
            Upload upload = quarantined(user, 10, MISMATCH, now);
            String served = layout.servedKey(upload.objectKey());

            assertThat(admin.releaseQuarantined(upload.uploadId(), served, false, quota, ALICE, "ok", later))
                    .isEqualTo(new ReleaseOutcome.OverQuota(upload, QuotaKind.OBJECTS, 5, 6));
            assertThat(admin.releaseQuarantined(upload.uploadId(), served, true, quota, ALICE, "ok", later))
                    .isInstanceOf(Released.class);
            assertThat(ledger.account(user).orElseThrow().objectsUsed()).isEqualTo(6);
        }

        @Test
        void parallelReleasesCannotTogetherTakeAUserOverQuota() throws Exception {
            Upload first = quarantined(user, 6000, MISMATCH, now);
            Upload second = quarantined(user, 6000, MISMATCH, now);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<ReleaseOutcome>> outcomes = new ArrayList<>();
                for (Upload upload : List.of(first, second)) {
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return admin.releaseQuarantined(
                                upload.uploadId(),
                                layout.servedKey(upload.objectKey()),
                                false,
                                quota,
                                ALICE,
                                "ok",
                                later);
                    }));
                }
                start.countDown();
                List<ReleaseOutcome> results = new ArrayList<>();
                for (var outcome : outcomes) {
                    results.add(outcome.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertThat(results).filteredOn(r -> r instanceof Released).hasSize(1);
                assertThat(results)
                        .filteredOn(r -> r instanceof ReleaseOutcome.OverQuota)
                        .hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(ledger.account(user).orElseThrow().bytesUsed()).isEqualTo(6000);
            assertThat(admin.auditFor(user, 10)).hasSize(1);
        }

        @Test
        void forceWithinQuotaIsNotCalledForced() {
            Upload upload = quarantined(user, 10, MISMATCH, now);
            ReleaseOutcome outcome = admin.releaseQuarantined(
                    upload.uploadId(), layout.servedKey(upload.objectKey()), true, quota, ALICE, "ok", later);
            assertThat(((Released) outcome).forced()).isFalse();
        }

        @Test
        void previewAnswersAsReleaseWouldAndChangesNothing() {
            accepted(user, 9000, now);
            Upload fits = quarantined(user, 500, MISMATCH, now);
            Upload tooBig = quarantined(user, 5000, MISMATCH, now);
            Books before = books(ledger, user);

            assertThat(admin.previewRelease(fits.uploadId(), layout.servedKey(fits.objectKey()), false, quota, later))
                    .isInstanceOf(Released.class);
            assertThat(admin.previewRelease(
                            tooBig.uploadId(), layout.servedKey(tooBig.objectKey()), false, quota, later))
                    .isInstanceOf(ReleaseOutcome.OverQuota.class);
            assertThat(admin.previewRelease(
                            tooBig.uploadId(), layout.servedKey(tooBig.objectKey()), true, quota, later))
                    .isInstanceOf(Released.class);

            assertThat(books(ledger, user)).isEqualTo(before);
            assertThat(admin.auditFor(user, 10)).isEmpty();
        }

        @Test
        void onlyQuarantinedObjectsCanBeReleased() {
            Upload accepted = accepted(user, 10, now);
            Upload reservedOnly = reserved(ledger, user, 10, quota, now);
            Upload deleted = reserved(ledger, user, 10, quota, now);
            rejectDeleted(ledger, deleted.objectKey(), MISMATCH, 10, quota, now);
            Books before = books(ledger, user);

            for (Upload upload : List.of(accepted, reservedOnly, deleted)) {
                assertThat(admin.releaseQuarantined(
                                upload.uploadId(),
                                layout.servedKey(upload.objectKey()),
                                true,
                                quota,
                                ALICE,
                                "ok",
                                later))
                        .isInstanceOf(NotReleasable.class);
            }
            UUID unknown = UUID.randomUUID();
            assertThat(admin.releaseQuarantined(unknown, "served/x", true, quota, ALICE, "ok", later))
                    .isEqualTo(new ReleaseOutcome.NoUploadToRelease(unknown));
            assertThat(books(ledger, user)).isEqualTo(before);
        }

        @Test
        void anObjectOfNobodyCannotBeReleased() {
            String stranger = LedgerTests.newUser("stranger");
            String key = layout.newIncomingKey(stranger, "image/png");
            var recorded = ledger.recordUnreserved(
                    BUCKET,
                    key,
                    layout.userSegmentOf(key),
                    List.of("NO_RESERVATION"),
                    10,
                    "image/png",
                    "e",
                    UploadAction.QUARANTINED,
                    layout.quarantineKey(key),
                    id -> quota,
                    now);
            Upload upload = recorded.resulting().orElseThrow();

            assertThat(admin.releaseQuarantined(
                            upload.uploadId(), layout.servedKey(key), true, quota, ALICE, "ok", later))
                    .isInstanceOf(NoOwner.class);
            assertThat(ledger.findUpload(upload.uploadId()).orElseThrow()).isEqualTo(upload);
        }
    }

    @Nested
    class Purge {

        @Test
        void purgeBooksTheReasonAndSaysWhatToDelete() {
            Upload upload = quarantined(user, 700, MISMATCH, now);
            String quarantineKey = upload.currentKey();
            Account accountBefore = ledger.account(user).orElseThrow();

            PurgeOutcome outcome = admin.purgeQuarantined(upload.uploadId(), ALICE, "malware", later);

            assertThat(outcome).isInstanceOfSatisfying(PurgeOutcome.Purged.class, purged -> {
                assertThat(purged.quarantineKey()).isEqualTo(layout.quarantineKey(upload.objectKey()));
                assertThat(purged.upload().status()).as("the verdict stands").isEqualTo(UploadStatus.REJECTED);
                assertThat(purged.upload().action()).isEqualTo(UploadAction.PURGED);
                assertThat(purged.upload().currentKey()).isNull();
                assertThat(purged.upload().removedAt()).isEqualTo(later);
            });
            assertThat(ledger.account(user).orElseThrow()).isEqualTo(accountBefore);
            AuditEntry entry = admin.auditForUpload(upload.uploadId()).get(0);
            assertThat(entry.action()).isEqualTo(AdminAction.PURGE);
            assertThat(entry.reason()).isEqualTo("malware");
            assertThat(entry.userId()).isEqualTo(user);
            assertThat(entry.details())
                    .contains("\"quarantineKey\": \"" + quarantineKey + "\"")
                    .contains("\"detectedType\": \"text/html\"")
                    .contains("\"declaredType\": \"image/png\"");
        }

        @Test
        void purgingAgainChangesNothingAndReleaseIsRefused() {
            Upload upload = quarantined(user, 700, MISMATCH, now);
            admin.purgeQuarantined(upload.uploadId(), ALICE, "malware", now);
            Books before = books(ledger, user);

            assertThat(admin.purgeQuarantined(upload.uploadId(), ALICE, "malware", later))
                    .isInstanceOf(PurgeOutcome.AlreadyPurged.class);
            assertThat(admin.releaseQuarantined(
                            upload.uploadId(), layout.servedKey(upload.objectKey()), true, quota, ALICE, "oops", later))
                    .isInstanceOf(NotReleasable.class);
            assertThat(books(ledger, user)).isEqualTo(before);
            assertThat(admin.auditForUpload(upload.uploadId())).hasSize(1);
        }

        @Test
        void onlyQuarantinedObjectsArePurged() {
            Upload accepted = accepted(user, 10, now);
            UUID unknown = UUID.randomUUID();

            assertThat(admin.purgeQuarantined(accepted.uploadId(), ALICE, "x", later))
                    .isInstanceOf(PurgeOutcome.NotPurgeable.class);
            assertThat(admin.purgeQuarantined(unknown, ALICE, "x", later))
                    .isEqualTo(new PurgeOutcome.NoUploadToPurge(unknown));
            assertThat(ledger.findUpload(accepted.uploadId()).orElseThrow()).isEqualTo(accepted);
        }
    }

    @Nested
    class Listings {

        @Test
        void quarantineIsNewestFirstAndFiltersByUserAndReason() {
            Upload old = quarantined(user, 10, List.of("TYPE_MISMATCH"), now);
            Upload mid = quarantined(user, 10, List.of("TOO_LARGE", "SIZE_MISMATCH"), now.plusSeconds(1));
            Upload recent = quarantined(user, 10, List.of("TYPE_MISMATCH", "SIZE_MISMATCH"), now.plusSeconds(2));
            Upload otherUsers =
                    quarantined(LedgerTests.newUser("other"), 10, List.of("TYPE_MISMATCH"), now.plusSeconds(3));
            Upload purged = quarantined(user, 10, List.of("TYPE_MISMATCH"), now.plusSeconds(4));
            admin.purgeQuarantined(purged.uploadId(), ALICE, "gone", later);
            accepted(user, 10, now);

            Page<Upload> mine = admin.quarantined(Optional.of(user), Optional.empty(), 10, null);
            assertThat(mine.items())
                    .extracting(Upload::uploadId)
                    .containsExactly(recent.uploadId(), mid.uploadId(), old.uploadId());
            assertThat(mine.nextCursor()).isNull();

            assertThat(admin.quarantined(Optional.of(user), Optional.of("SIZE_MISMATCH"), 10, null)
                            .items())
                    .extracting(Upload::uploadId)
                    .containsExactly(recent.uploadId(), mid.uploadId());

            List<Upload> everybody = admin.quarantined(Optional.empty(), Optional.empty(), 200, null)
                    .items();
            assertThat(everybody)
                    .extracting(Upload::uploadId)
                    .contains(otherUsers.uploadId(), recent.uploadId())
                    .doesNotContain(purged.uploadId());
            assertThat(everybody)
                    .extracting(Upload::settledAt)
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }

        @Test
        void quarantinePagesNeverSkipRowsBookedInTheSameMicrosecond() {
            List<UUID> expected = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                expected.add(quarantined(user, 10, MISMATCH, now).uploadId());
            }
            expected.sort(POSTGRES_ORDER.reversed());

            List<UUID> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<Upload> page = admin.quarantined(Optional.of(user), Optional.empty(), 3, cursor);
                page.items().forEach(u -> seen.add(u.uploadId()));
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null);

            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactlyElementsOf(expected);
        }

        @Test
        void aPageThatEndsExactlyAtTheLastRowHasNoNextCursor() {
            quarantined(user, 10, MISMATCH, now);
            quarantined(user, 10, MISMATCH, now);
            assertThat(admin.quarantined(Optional.of(user), Optional.empty(), 2, null)
                            .nextCursor())
                    .isNull();
            assertThat(admin.quarantined(Optional.of(user), Optional.empty(), 1, null)
                            .nextCursor())
                    .isNotNull();
        }

        @Test
        void userUploadsPageNewestFirstWithTies() {
            List<UUID> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                expected.add(reserved(ledger, user, 1, roomy, now).uploadId());
            }
            expected.sort(POSTGRES_ORDER.reversed());
            UUID newest = reserved(ledger, user, 1, roomy, later).uploadId();
            expected.add(0, newest);

            Page<Upload> first = admin.uploads(user, 4, null);
            Page<Upload> second = admin.uploads(user, 4, first.nextCursor());

            assertThat(first.items()).extracting(Upload::uploadId).containsExactlyElementsOf(expected.subList(0, 4));
            assertThat(second.items()).extracting(Upload::uploadId).containsExactlyElementsOf(expected.subList(4, 6));
            assertThat(second.hasMore()).isFalse();
        }

        @Test
        void aCursorIsOnlyGoodForTheListingThatGaveItOut() {
            reserved(ledger, user, 1, quota, now);
            reserved(ledger, user, 1, quota, now);
            String uploadsCursor = admin.uploads(user, 1, null).nextCursor();

            assertThatThrownBy(() -> admin.quarantined(Optional.empty(), Optional.empty(), 10, uploadsCursor))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> admin.uploads(user, 10, "not-a-cursor"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> admin.uploads(user, 10, "%%%")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void auditIsNewestFirstAndLimited() {
            reserved(ledger, user, 1, quota, now);
            admin.block(user, Duration.ofHours(1), "one", ALICE, now);
            admin.unblock(user, ALICE, "two", now.plusSeconds(1));
            admin.block(user, Duration.ofHours(1), "three", ALICE, now.plusSeconds(2));

            assertThat(admin.auditFor(user, 2)).extracting(AuditEntry::reason).containsExactly("three", "two");
            assertThat(admin.auditFor(user, 10))
                    .extracting(AuditEntry::action)
                    .containsExactly(AdminAction.BLOCK, AdminAction.UNBLOCK, AdminAction.BLOCK);
        }
    }
}
