package io.uploadguard.enforcer.scanning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.ledger.policy.ScanRequirement;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.ledger.policy.ViolationAction;
import io.uploadguard.sandbox.client.ClamdServer;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link ClamdScanner} and {@link ScanGate} against a real clamd (Debian's clamav-daemon, with the
 * test signature database {@link ClamdServer} writes) and the sandbox's S3.
 */
@Tag("integration")
class ClamdScannerTest {

    private static final long CLAMD_LIMIT = DataSize.ofMegabytes(4).toBytes();
    private static final UploadProfile DOCUMENT = profile(ScanRequirement.REQUIRED);

    private static ClamdServer clamd;
    private static S3Client s3;
    private static String bucket;
    private static QuotaLedger ledger;
    private static JdbcClient jdbc;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScanMetrics metrics = new ScanMetrics(registry, "clamd");

    @BeforeAll
    static void startClamd() {
        Optional<String> unavailable = ClamdServer.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println("ClamdScannerTest skipped: " + unavailable.get());
        }
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        clamd = ClamdServer.start(CLAMD_LIMIT);
        SandboxEndpoints sandbox = SandboxProcess.shared();
        bucket = sandbox.bucket();
        s3 = S3Client.builder()
                .endpointOverride(URI.create(sandbox.s3Endpoint()))
                .region(Region.of(sandbox.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(sandbox.accessKey(), sandbox.secretKey())))
                .build();
        var dataSource = new DriverManagerDataSource(sandbox.jdbcUrl(), sandbox.dbUser(), sandbox.dbPassword());
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        ledger = new QuotaLedger(jdbc, new DataSourceTransactionManager(dataSource));
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) {
            clamd.close();
            s3.close();
        }
    }

    @AfterEach
    void clamdBackUp() {
        if (!clamd.ping()) {
            clamd.restart();
        }
    }

    @Test
    void eicarAppendedToARealPdfIsMalwareWithItsSignatureName() {
        Reserved reserved = putReserved(concat(TestFiles.pdf("quarterly report"), ClamdServer.EICAR));
        ScanTarget target = reserved.target();

        ScanResult result = scanner(CLAMD_LIMIT).scan(target);
        ScanOutcome outcome =
                gate(scanner(CLAMD_LIMIT), Clock.systemUTC()).check(target, Optional.of(DOCUMENT), true, Instant.now());

        assertThat(result).isEqualTo(new ScanResult.Infected(List.of(ClamdServer.EICAR_SIGNATURE)));
        assertThat(outcome.rejection()).isEqualTo(Reason.MALWARE);
        assertThat(outcome.signatures()).containsExactly(ClamdServer.EICAR_SIGNATURE);
        assertThat(outcome.metadata()).containsEntry(ScanOutcome.META_SIGNATURES, ClamdServer.EICAR_SIGNATURE);
        assertThat(ledger.scanSignatures(reserved.uploadId())).containsExactly(ClamdServer.EICAR_SIGNATURE);
        assertThat(registry.get("uploadguard.scan.results")
                        .tag("outcome", "infected")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aFileCarryingTheProjectsTestMarkerIsFoundByTheCustomSignature() {
        ScanTarget target = put(concat(TestFiles.pdf("marked"), ClamdServer.TEST_MARKER));

        assertThat(scanner(CLAMD_LIMIT).scan(target))
                .isEqualTo(new ScanResult.Infected(List.of(ClamdServer.MARKER_SIGNATURE)));
    }

    @Test
    void aCleanPdfIsCleanAndItsBytesAreCounted() {
        byte[] pdf = TestFiles.pdf("nothing to see");
        ScanTarget target = put(pdf);

        ScanOutcome outcome =
                gate(scanner(CLAMD_LIMIT), Clock.systemUTC()).check(target, Optional.of(DOCUMENT), true, Instant.now());

        assertThat(outcome.rejectionReason()).isEmpty();
        assertThat(registry.get("uploadguard.scan.bytes").counter().count()).isEqualTo(pdf.length);
        assertThat(registry.get("uploadguard.scan.duration")
                        .tag("outcome", "clean")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void anObjectRejectedAnywayIsNotScanned() {
        ScanTarget target = put(concat(TestFiles.pdf("x"), ClamdServer.EICAR));

        ScanOutcome outcome = gate(scanner(CLAMD_LIMIT), Clock.systemUTC())
                .check(target, Optional.of(DOCUMENT), false, Instant.now());

        assertThat(outcome.rejectionReason()).isEmpty();
        assertThat(registry.find("uploadguard.scan.results").counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void anObjectOverTheStreamLimitIsNeverSentAndFailsTheScan() {
        ScanTarget target = put(new byte[(int) CLAMD_LIMIT + 1]);

        ScanResult result = scanner(CLAMD_LIMIT).scan(target);
        ScanOutcome outcome =
                gate(scanner(CLAMD_LIMIT), Clock.systemUTC()).check(target, Optional.of(DOCUMENT), true, Instant.now());

        assertThat(result)
                .isInstanceOfSatisfying(
                        ScanResult.CouldNotScan.class,
                        r -> assertThat(r.retryable()).isFalse());
        assertThat(outcome.rejection())
                .as("over the limit is SCAN_FAILED at once: never accepted, not held")
                .isEqualTo(Reason.SCAN_FAILED);
    }

    @Test
    void clamdsOwnSizeLimitIsTreatedTheSameWhenOurSettingIsLarger() {
        // the enforcer's stream-max-length set above clamd's: clamd cuts the stream off and says why
        ScanTarget target = put(new byte[(int) CLAMD_LIMIT + 70_000]);

        ScanResult result = scanner(4 * CLAMD_LIMIT).scan(target);

        assertThat(result).isInstanceOfSatisfying(ScanResult.CouldNotScan.class, r -> {
            assertThat(r.retryable()).isFalse();
            assertThat(r.why()).contains("size limit exceeded");
        });
    }

    @Test
    void aNestedZipBombIsReportedAsOverTheLimitsQuickly() {
        // 8 x 8 entries of 1 MiB zeros: 64 MiB unpacked, over clamd's 4 MiB MaxScanSize
        byte[] bomb = TestFiles.nestedZipBomb(8, 1024 * 1024);
        ScanTarget target = put(bomb);

        ScanResult result = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> scanner(CLAMD_LIMIT).scan(target));

        assertThat(bomb.length).isLessThan(100_000);
        assertThat(result).isInstanceOfSatisfying(ScanResult.CouldNotScan.class, r -> {
            assertThat(r.retryable()).isFalse();
            assertThat(r.why()).contains("Heuristics.Limits.Exceeded");
        });
    }

    @Test
    void clamdStoppedMidStreamIsABrokenScanNotAnAnswer() {
        var client = new ClamdClient(settings(CLAMD_LIMIT));
        byte[] firstChunk = new byte[ClamdClient.CHUNK];
        // the first chunk goes out; clamd is stopped before the rest is read from "S3"
        InputStream content = new SequenceInputStream(new ByteArrayInputStream(firstChunk), new InputStream() {
            private int left = 2 * ClamdClient.CHUNK;

            @Override
            public int read() {
                if (left == 2 * ClamdClient.CHUNK) {
                    clamd.stop();
                }
                return left-- > 0 ? 0 : -1;
            }
        });

        ScanResult result;
        try {
            result = client.instream(content);
        } catch (IOException e) {
            result = new ScanResult.CouldNotScan(e.toString(), true);
        }

        // a broken connection, or clamd's own "... ERROR" as it shuts down: never an answer about the object
        assertThat(result)
                .isInstanceOfSatisfying(
                        ScanResult.CouldNotScan.class,
                        r -> assertThat(r.retryable()).as(r.why()).isTrue());
    }

    @Test
    void requiredScanWithClamdDownHoldsTheObjectThenSettlesWhenClamdIsBack() {
        Reserved reserved = putReserved(concat(TestFiles.pdf("held"), ClamdServer.EICAR));
        ScanTarget target = reserved.target();
        ScanGate gate = gate(scanner(CLAMD_LIMIT), Clock.systemUTC());
        clamd.stop();

        assertThatThrownBy(() -> gate.check(target, Optional.of(DOCUMENT), true, Instant.now()))
                .as("nothing is decided while clamd is down")
                .isInstanceOf(ScanPendingException.class);
        assertThat(registry.get("uploadguard.scan.held").counter().count()).isEqualTo(1);
        assertThat(registry.get("uploadguard.scanner.reachable").gauge().value())
                .isZero();
        assertThat(jdbc.sql("SELECT pending_since FROM upload_scans WHERE upload_id = ?")
                        .param(reserved.uploadId())
                        .query(Instant.class)
                        .optional())
                .as("the ledger shows the object waiting for the scanner")
                .isPresent();

        clamd.restart();
        ScanOutcome outcome = gate.check(target, Optional.of(DOCUMENT), true, Instant.now());

        assertThat(outcome.rejection()).isEqualTo(Reason.MALWARE);
        assertThat(registry.get("uploadguard.scanner.reachable").gauge().value())
                .isEqualTo(1);
    }

    @Test
    void requiredScanWithClamdDownPastTheHorizonIsScanFailed() {
        ScanTarget target = put(TestFiles.pdf("waited too long"));
        clamd.stop();

        ScanOutcome outcome = gate(scanner(CLAMD_LIMIT), Clock.systemUTC())
                .check(target, Optional.of(DOCUMENT), true, Instant.now().minus(Duration.ofHours(2)));

        assertThat(outcome.rejection()).isEqualTo(Reason.SCAN_FAILED);
    }

    @Test
    void optionalScanWithClamdDownAcceptsWithAWarningMetric() {
        ScanTarget target = put(TestFiles.pdf("optional"));
        clamd.stop();

        ScanOutcome outcome = gate(scanner(CLAMD_LIMIT), Clock.systemUTC())
                .check(target, Optional.of(profile(ScanRequirement.OPTIONAL)), true, Instant.now());

        assertThat(outcome.rejectionReason()).isEmpty();
        assertThat(registry.get("uploadguard.scan.unscanned.accepted").counter().count())
                .isEqualTo(1);
    }

    @Test
    void anObjectReplacedSinceInspectionIsNotScannedAsIfItWereTheSame() {
        ScanTarget inspected = put(TestFiles.pdf("first"));
        s3.putObject(r -> r.bucket(bucket).key(inspected.key()), RequestBody.fromBytes(TestFiles.pdf("second")));

        ScanResult result = scanner(CLAMD_LIMIT).scan(inspected);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ScanResult.CouldNotScan.class,
                        r -> assertThat(r.retryable()).isTrue());
    }

    @Test
    void withoutAScannerNothingIsScannedUnlessAProfileRequiresIt() {
        ScanTarget target = put(concat(TestFiles.pdf("x"), ClamdServer.EICAR));
        ScanGate gate = gate(new NoScanner(), Clock.systemUTC());

        assertThat(gate.check(target, Optional.of(profile(null)), true, Instant.now())
                        .rejectionReason())
                .as("today's behaviour: the default is no scan when no scanner is configured")
                .isEmpty();
        assertThat(gate.check(target, Optional.of(DOCUMENT), true, Instant.now())
                        .rejection())
                .isEqualTo(Reason.SCAN_FAILED);
    }

    @Test
    void withAScannerTheDefaultIsRequired() {
        ScanTarget target = put(concat(TestFiles.pdf("x"), ClamdServer.EICAR));

        ScanOutcome outcome = gate(scanner(CLAMD_LIMIT), Clock.systemUTC())
                .check(target, Optional.of(profile(null)), true, Instant.now());

        assertThat(outcome.rejection()).isEqualTo(Reason.MALWARE);
    }

    @Test
    void aHeldMessageComesBackLaterEachTimeWithinTheSqsLimit() {
        ScanGate gate = gate(new NoScanner(), Clock.systemUTC());

        assertThat(List.of(1, 2, 3, 4, 5).stream().map(gate::visibilitySecondsAfter))
                .containsExactly(120, 240, 480, 960, 1920);
        assertThat(gate.visibilitySecondsAfter(40)).isEqualTo(12 * 3600 - 1);
    }

    private ScanGate gate(MalwareScanner scanner, Clock clock) {
        return new ScanGate(scanner, metrics, ledger, Duration.ofHours(1), Duration.ofMinutes(2), clock);
    }

    private static ClamdScanner scanner(long streamMaxLength) {
        var settings = settings(streamMaxLength);
        return new ClamdScanner(s3, new ClamdClient(settings), settings);
    }

    private static ScannerProperties.Clamd settings(long streamMaxLength) {
        return new ScannerProperties.Clamd(
                clamd.host(),
                clamd.port(),
                Duration.ofSeconds(20),
                Duration.ofSeconds(1),
                DataSize.ofBytes(streamMaxLength));
    }

    private static UploadProfile profile(ScanRequirement scan) {
        return new UploadProfile(
                List.of("application/pdf"),
                DataSize.ofMegabytes(50),
                null,
                ViolationAction.QUARANTINE,
                false,
                false,
                scan);
    }

    record Reserved(ScanTarget target, UUID uploadId) {}

    /** An object with its ledger row, as the enforcer scans it. */
    private static Reserved putReserved(byte[] body) {
        ScanTarget target = put(body);
        var request = new ReservationRequest(
                UUID.randomUUID(),
                "scan-user-" + UUID.randomUUID(),
                "document",
                bucket,
                target.key(),
                "application/pdf",
                body.length,
                null,
                "scanned.pdf",
                Instant.now().plus(Duration.ofMinutes(5)));
        var outcome = ledger.reserve(request, Quota.DEFAULT, Instant.now());
        assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
        return new Reserved(target, request.uploadId());
    }

    /** Outside the incoming area, so that an enforcer running in the same JVM leaves it alone. */
    private static ScanTarget put(byte[] body) {
        String key = "scanner-tests/" + UUID.randomUUID();
        String eTag = s3.putObject(
                        r -> r.bucket(bucket).key(key).contentType("application/pdf"), RequestBody.fromBytes(body))
                .eTag();
        return new ScanTarget(bucket, key, body.length, eTag);
    }

    private static byte[] concat(byte[] head, String tail) {
        byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + t.length);
        System.arraycopy(t, 0, all, head.length, t.length);
        return all;
    }
}
