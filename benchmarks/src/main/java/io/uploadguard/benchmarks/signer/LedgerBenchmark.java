package io.uploadguard.benchmarks.signer;

import io.uploadguard.benchmarks.BenchSandbox;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.signer.SignerProperties;
import io.uploadguard.signer.SigningMetrics;
import io.uploadguard.signer.SigningOutcome;
import io.uploadguard.signer.UploadSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger's {@code reserve} transaction against the sandbox's real PostgreSQL (on the same
 * machine, over loopback TCP), and the whole of UploadSigner.sign with it. Users rotate over
 * many ids, quotas are huge: every call is granted and writes an upload row, as under load.
 *
 * <p>The sandbox's PostgreSQL runs with durability off (no fsync), like a test database: a
 * production database that flushes its WAL adds its commit latency to every reservation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class LedgerBenchmark {

    static final int USERS = 10_000;
    static final Quota HUGE =
            new Quota(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Integer.MAX_VALUE, 3, Duration.ofHours(1));

    BenchSandbox sandbox;
    QuotaLedger ledger;
    UploadSigner signer;
    final AtomicLong sequence = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        sandbox = BenchSandbox.start(10);
        // stopped when this forked JVM exits, not at tear-down: JMH's profilers read the last
        // iteration's PostgreSQL CPU time after the trial's tear-down
        BenchSandbox started = sandbox;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "bench-sandbox-stop"));
        ledger = sandbox.ledger();
        S3Presigner presigner = SigningStepsBenchmark.presigner();
        signer = new UploadSigner(
                io.uploadguard.ledger.policy.UploadProfiles.defaults(),
                new io.uploadguard.ledger.policy.QuotaPolicy(HUGE, java.util.Map.of()),
                ledger,
                KeyLayout.DEFAULT,
                presigner,
                new SignerProperties(sandbox.endpoints().bucket()),
                new SigningMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                JsonMapper.builder().build(),
                java.time.Clock.systemUTC(),
                null); // single PUTs only: the benchmarked profiles never reach the multipart path
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long rows = sandbox.count("select count(*) from uploads");
        System.out.println();
        System.out.println("ledger rows written in this trial: " + rows);
    }

    private String user(long n) {
        return "bench-user-" + (n % USERS);
    }

    /** One reservation: upsert and lock the account, check, update it, insert the upload; commit. */
    @Benchmark
    public ReserveOutcome reserve() {
        return reserveOne();
    }

    /** The same from 4 threads at once (ops/s is the total), as a loaded signer would. */
    @Benchmark
    @Threads(4)
    public ReserveOutcome reserve4Threads() {
        return reserveOne();
    }

    private ReserveOutcome reserveOne() {
        long n = sequence.getAndIncrement();
        String userId = user(n);
        Instant now = Instant.now();
        ReserveOutcome outcome = ledger.reserve(
                new ReservationRequest(
                        UUID.randomUUID(),
                        userId,
                        "avatar",
                        "uploadguard",
                        KeyLayout.DEFAULT.newIncomingKey(userId, "image/png"),
                        "image/png",
                        1 + n % 5_000_000,
                        null,
                        null,
                        now.plus(Duration.ofMinutes(5))),
                HUGE,
                now);
        if (!(outcome instanceof ReserveOutcome.Reserved)) {
            throw new IllegalStateException("the ledger refused: " + outcome);
        }
        return outcome;
    }

    /** Everything the signing timer covers: parse, checks, key, presign, reserve, metrics. */
    @Benchmark
    @Warmup(iterations = 5, time = 2)
    public SigningOutcome signWithLedger() {
        long n = sequence.getAndIncrement();
        SigningOutcome outcome = signer.sign(user(n), SigningStepsBenchmark.body(1 + n % 5_000_000));
        if (!(outcome instanceof SigningOutcome.Signed)) {
            throw new IllegalStateException("refused: " + outcome);
        }
        return outcome;
    }
}
