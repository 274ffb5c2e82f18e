package io.uploadguard.enforcer.enforcement;

import static io.uploadguard.ledger.policy.Reason.NO_RESERVATION;
import static io.uploadguard.ledger.policy.Reason.QUOTA_EXCEEDED;
import static io.uploadguard.ledger.policy.Reason.SIZE_MISMATCH;
import static io.uploadguard.ledger.policy.Reason.TOO_LARGE;
import static io.uploadguard.ledger.policy.Reason.TYPE_MISMATCH;
import static io.uploadguard.ledger.policy.Reason.TYPE_NOT_ALLOWED;
import static io.uploadguard.ledger.policy.Reason.USER_BLOCKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.enforcer.inspection.Inspection;
import io.uploadguard.enforcer.inspection.MediaTypes;
import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.ledger.policy.ViolationAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

class VerdictRulesTest {

    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final long CAP = DataSize.ofMegabytes(5).toBytes();
    static final UploadProfile AVATAR = new UploadProfile(
            List.of("image/png", "image/jpeg", "image/webp"),
            DataSize.ofMegabytes(5),
            Duration.ofMinutes(5),
            ViolationAction.QUARANTINE);
    static final UploadProfile GIFS = new UploadProfile(
            List.of("image/gif"), DataSize.ofMegabytes(5), Duration.ofMinutes(5), ViolationAction.DELETE);
    static final Quota QUOTA = new Quota(100_000_000, 10, 60, 3, Duration.ofHours(1));

    /** One decide() call: a well-behaved avatar upload of 1000 bytes of PNG, changed by each case. */
    static final class Case {
        private long realSize = 1000;
        private String storedType = "image/png";
        private String detectedType = "image/png";
        private Map<String, String> metadata = Map.of("user-id", "alice");
        private String declaredType = "image/png";
        private Long declaredSize = 1000L;
        private boolean reserved = true;
        private Optional<UploadProfile> profile = Optional.of(AVATAR);
        private long bytesUsed;
        private long objectsUsed;
        private Instant blockedUntil;
        private boolean hasAccount = true;

        /** A fresh case for each change, so no change leaks into another case. */
        static Case good() {
            return new Case();
        }

        Case real(long size, String stored, String detected) {
            realSize = size;
            storedType = stored;
            detectedType = detected;
            return this;
        }

        Case declared(String type, Long size) {
            declaredType = type;
            declaredSize = size;
            return this;
        }

        Case metadata(Map<String, String> m) {
            metadata = m;
            return this;
        }

        Case noReservation() {
            reserved = false;
            profile = Optional.empty();
            return this;
        }

        Case profile(Optional<UploadProfile> p) {
            profile = p;
            return this;
        }

        Case used(long bytes, long objects) {
            bytesUsed = bytes;
            objectsUsed = objects;
            return this;
        }

        Case blockedUntil(Instant until) {
            blockedUntil = until;
            return this;
        }

        Case noAccount() {
            hasAccount = false;
            return this;
        }

        Verdict decide() {
            Inspection inspection = new Inspection(
                    "uploads",
                    "incoming/alice-0123456789abcdef/x.png",
                    realSize,
                    storedType,
                    metadata,
                    "etag",
                    detectedType);
            Optional<Upload> row = reserved ? Optional.of(upload(declaredType, declaredSize)) : Optional.empty();
            Optional<Account> account = hasAccount
                    ? Optional.of(new Account(
                            "alice",
                            "alice-0123456789abcdef",
                            bytesUsed,
                            objectsUsed,
                            1000,
                            1,
                            0,
                            blockedUntil,
                            blockedUntil == null ? null : "violations",
                            null,
                            0,
                            NOW,
                            NOW))
                    : Optional.empty();
            return new VerdictRules().decide(inspection, row, profile, account, QUOTA, NOW);
        }
    }

    static Upload upload(String declaredType, Long declaredSize) {
        return new Upload(
                UUID.fromString("00000000-0000-0000-0000-000000000001"),
                "alice",
                "avatar",
                "uploads",
                "incoming/alice-0123456789abcdef/x.png",
                "incoming/alice-0123456789abcdef/x.png",
                declaredType,
                declaredSize,
                null,
                null,
                UploadStatus.RESERVED,
                List.of(),
                null,
                null,
                null,
                null,
                NOW.minusSeconds(60),
                NOW.plusSeconds(240),
                null,
                null,
                null);
    }

    static Arguments of(String name, UnaryOperator<Case> change, Reason... reasons) {
        return Arguments.of(name, change.apply(Case.good()), List.of(reasons));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                of("as declared", c -> c),
                of(
                        "JPEG declared and stored as image/jpeg",
                        c -> c.real(1000, "image/jpeg", "image/jpeg").declared("image/jpeg", 1000L)),
                of(
                        "stored type in other case and with parameters",
                        c -> c.real(1000, "IMAGE/PNG; charset=binary", "image/png")),
                of(
                        "exactly at the cap",
                        c -> c.real(CAP, "image/png", "image/png").declared("image/png", CAP)),
                of(
                        "one byte over the cap",
                        c -> c.real(CAP + 1, "image/png", "image/png").declared("image/png", CAP),
                        TOO_LARGE,
                        SIZE_MISMATCH),
                of(
                        "over the cap as declared",
                        c -> c.real(CAP + 1, "image/png", "image/png").declared("image/png", CAP + 1),
                        TOO_LARGE),
                of("shorter than declared", c -> c.real(999, "image/png", "image/png"), SIZE_MISMATCH),
                of(
                        "empty object",
                        c -> c.real(0, "image/png", MediaTypes.EMPTY),
                        SIZE_MISMATCH,
                        TYPE_NOT_ALLOWED,
                        TYPE_MISMATCH),
                of(
                        "HTML declared as image/png",
                        c -> c.real(1000, "image/png", "text/html"),
                        TYPE_NOT_ALLOWED,
                        TYPE_MISMATCH),
                of(
                        "SVG declared as image/png",
                        c -> c.real(1000, "image/png", "image/svg+xml"),
                        TYPE_NOT_ALLOWED,
                        TYPE_MISMATCH),
                of(
                        "unknown bytes declared as image/png",
                        c -> c.real(1000, "image/png", "application/octet-stream"),
                        TYPE_NOT_ALLOWED,
                        TYPE_MISMATCH),
                of(
                        "JPEG bytes declared as image/png (allowed type, wrong one)",
                        c -> c.real(1000, "image/png", "image/jpeg"),
                        TYPE_MISMATCH),
                of(
                        "stored Content-Type differs from the declared one",
                        c -> c.real(1000, "image/jpeg", "image/png"),
                        TYPE_MISMATCH),
                of("no stored Content-Type", c -> c.real(1000, null, "image/png"), TYPE_MISMATCH),
                of(
                        "EXE declared as application/pdf in the avatar profile",
                        c -> c.real(1000, "application/pdf", "application/x-msdownload")
                                .declared("application/pdf", 1000L),
                        TYPE_NOT_ALLOWED,
                        TYPE_MISMATCH),
                // the polyglot is a GIF by its magic number: accepted where GIFs are (known limit)
                of(
                        "GIF/JavaScript polyglot declared as image/gif where GIFs are allowed",
                        c -> c.real(1000, "image/gif", "image/gif")
                                .declared("image/gif", 1000L)
                                .profile(Optional.of(GIFS))),
                of("profile no longer configured", c -> c.profile(Optional.empty()), TYPE_NOT_ALLOWED),
                of("no reservation", c -> c.noReservation().real(1000, "text/html", "text/html"), NO_RESERVATION),
                of(
                        "no reservation, user blocked",
                        c -> c.noReservation().blockedUntil(NOW.plusSeconds(1)),
                        NO_RESERVATION,
                        USER_BLOCKED),
                of("no reservation, nobody known", c -> c.noReservation().noAccount(), NO_RESERVATION),
                of("quota: exactly full once accepted", c -> c.used(QUOTA.maxBytes() - 1000, QUOTA.maxObjects() - 1)),
                of("quota: one byte over once accepted", c -> c.used(QUOTA.maxBytes() - 999, 0), QUOTA_EXCEEDED),
                of("quota: object count full", c -> c.used(0, QUOTA.maxObjects()), QUOTA_EXCEEDED),
                of("quota: near Long.MAX_VALUE does not overflow", c -> c.used(Long.MAX_VALUE - 10, 0), QUOTA_EXCEEDED),
                of("no account known for the reservation", c -> c.noAccount()),
                of("user blocked", c -> c.blockedUntil(NOW.plusSeconds(3600)), USER_BLOCKED),
                of("block that ended now", c -> c.blockedUntil(NOW)),
                of("block that ended earlier", c -> c.blockedUntil(NOW.minusSeconds(1))),
                // attribution comes from the ledger row: metadata is the uploader's to choose
                of(
                        "metadata claims another user and upload",
                        c -> c.metadata(
                                Map.of("user-id", "mallory", "upload-id", "00000000-0000-0000-0000-0000000000ff"))),
                of(
                        "everything wrong at once",
                        c -> c.real(CAP + 10, "text/html", "text/html")
                                .declared("image/png", CAP)
                                .used(QUOTA.maxBytes(), QUOTA.maxObjects())
                                .blockedUntil(NOW.plusSeconds(60)),
                        TOO_LARGE,
                        SIZE_MISMATCH,
                        TYPE_NOT_ALLOWED,
                        TYPE_MISMATCH,
                        QUOTA_EXCEEDED,
                        USER_BLOCKED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decide(String name, Case c, List<Reason> reasons) {
        Verdict verdict = c.decide();

        assertThat(verdict.reasons()).as(name).containsExactlyElementsOf(reasons);
        assertThat(verdict.accepted()).isEqualTo(reasons.isEmpty());
    }

    @Test
    void aLedgerRowWithoutDeclarationsIsNoReservation() {
        // what the ledger books for an object written with no reservation
        Inspection inspection =
                new Inspection("uploads", "incoming/x/y.png", 10, "image/png", Map.of(), null, "image/png");

        Verdict verdict = new VerdictRules()
                .decide(inspection, Optional.of(upload(null, null)), Optional.of(AVATAR), Optional.empty(), QUOTA, NOW);

        assertThat(verdict.reasons()).containsExactly(NO_RESERVATION);
    }

    @Test
    void verdicts() {
        assertThat(Verdict.accept().accepted()).isTrue();
        assertThat(Verdict.accept().reasonNames()).isEmpty();
        assertThat(Verdict.reject(List.of(SIZE_MISMATCH, TYPE_MISMATCH)).reasonNames())
                .containsExactly("SIZE_MISMATCH", "TYPE_MISMATCH");
        assertThatThrownBy(() -> Verdict.reject(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict(true, List.of(TOO_LARGE))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inspectionCopiesItsMetadata() {
        var metadata = new java.util.HashMap<String, String>(Map.of("user-id", "alice"));
        Inspection inspection = new Inspection("b", "k", 1, "image/png", metadata, "e", "image/png");
        metadata.put("user-id", "mallory");

        assertThat(inspection.metadata()).containsEntry("user-id", "alice");
        assertThat(new Inspection("b", "k", 1, null, null, null, "image/png").metadata())
                .isEmpty();
        assertThatThrownBy(() -> new Inspection("b", "k", -1, null, null, null, "image/png"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
