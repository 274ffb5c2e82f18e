package io.uploadguard.benchmarks.signer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.ReservationRequest;
import io.uploadguard.ledger.booking.ReserveOutcome;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.UploadProfile;
import io.uploadguard.ledger.policy.UploadProfiles;
import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.BearerTokens;
import io.uploadguard.security.LocalTokens;
import io.uploadguard.signer.SignerProperties;
import io.uploadguard.signer.SigningMetrics;
import io.uploadguard.signer.SigningOutcome;
import io.uploadguard.signer.UploadRequest;
import io.uploadguard.signer.UploadSigner;
import io.uploadguard.signer.UploadTicket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The in-process steps of one {@code POST /uploads}, each alone, with nothing but the CPU: no
 * network and no database (the ledger step is in {@link LedgerBenchmark}). Built the way the
 * signer builds them: the presigner as Spring Cloud AWS configures it against the sandbox
 * (static credentials, path-style, endpoint override), the HS256 decoder as
 * {@link SecurityConfiguration} does ({@link BearerTokens#hmacDecoder}), and the request parsed by
 * {@link UploadRequest#parse}.
 *
 * <p>Single-threaded, so ops/s here is what one core does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class SigningStepsBenchmark {

    static final String SECRET = "benchmark-secret-that-is-at-least-32-bytes";
    static final int USERS = 1024;

    S3Presigner presigner;
    JwtDecoder jwtDecoder;
    ObjectMapper json;
    UploadProfile avatar;
    KeyLayout layout;
    UploadSigner signerWithoutLedger;

    String[] tokens;
    String[] users;
    String[] bodies;
    String checksum;
    UploadTicket ticket;
    int next;

    @Setup
    public void setUp() throws Exception {
        presigner = presigner();
        jwtDecoder = jwtDecoder();
        json = JsonMapper.builder().build();
        avatar = UploadProfiles.defaults().profile("avatar").orElseThrow();
        layout = KeyLayout.DEFAULT;
        users = new String[USERS];
        tokens = new String[USERS];
        bodies = new String[USERS];
        for (int i = 0; i < USERS; i++) {
            users[i] = "bench-user-" + i;
            tokens[i] = LocalTokens.mint(SECRET, users[i], Duration.ofHours(2));
            bodies[i] = body(1 + i * 997L % 5_000_000L);
        }
        checksum = Base64.getEncoder()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest("avatar bytes".getBytes(StandardCharsets.UTF_8)));
        signerWithoutLedger = signer(presigner, new NoLedger(), json);
        SigningOutcome outcome = signerWithoutLedger.sign(users[0], bodies[0]);
        ticket = ((SigningOutcome.Signed) outcome).ticket();
    }

    static String body(long size) {
        return "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":" + size + "}";
    }

    /** As Spring Cloud AWS's S3AutoConfiguration builds it from the sandbox's properties. */
    static S3Presigner presigner() {
        return S3Presigner.builder()
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("sandbox-access-key", "sandbox-secret-key")))
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:40081"))
                .build();
    }

    /**
     * As the signer's {@link SecurityConfiguration} builds it ({@link BearerTokens#hmacDecoder}), from
     * settings bound the way Spring Boot binds {@code uploadguard.auth.*}: only the secret set.
     */
    static JwtDecoder jwtDecoder() {
        AuthProperties auth = new Binder(
                        new MapConfigurationPropertySource(Map.of("uploadguard.auth.hmac-secret", SECRET)))
                .bindOrCreate("uploadguard.auth", Bindable.of(AuthProperties.class));
        return BearerTokens.hmacDecoder(auth);
    }

    static UploadSigner signer(S3Presigner presigner, QuotaLedger ledger, ObjectMapper json) {
        return new UploadSigner(
                UploadProfiles.defaults(),
                QuotaPolicy.defaultsOnly(),
                ledger,
                KeyLayout.DEFAULT,
                presigner,
                new SignerProperties("uploadguard"),
                new SigningMetrics(new SimpleMeterRegistry()),
                json,
                Clock.systemUTC(),
                null); // single PUTs only: the benchmarked profiles never reach the multipart path
    }

    private int next() {
        int i = next;
        next = (i + 1) & (USERS - 1);
        return i;
    }

    /**
     * Key and upload id, then the presigned PUT with everything UploadSigner locks into it. The
     * SDK's signing path is long: it gets a longer warm-up.
     */
    @Benchmark
    @Warmup(iterations = 5, time = 2)
    public PresignedPutObjectRequest presign() {
        return presign(users[next()], null);
    }

    /** The same with the client's x-amz-checksum-sha256 signed in too. */
    @Benchmark
    @Warmup(iterations = 5, time = 2)
    public PresignedPutObjectRequest presignWithChecksum() {
        return presign(users[next()], checksum);
    }

    private PresignedPutObjectRequest presign(String userId, String checksumSha256) {
        String encodedUserId = URLEncoder.encode(userId, StandardCharsets.UTF_8);
        UUID uploadId = UUID.randomUUID();
        String key = layout.newIncomingKey(userId, "image/png");
        PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p.signatureDuration(avatar.urlLifetime())
                .putObjectRequest(PutObjectRequest.builder()
                        .bucket("uploadguard")
                        .key(key)
                        .contentType("image/png")
                        .contentLength(123_456L)
                        .metadata(Map.of("user-id", encodedUserId, "upload-id", uploadId.toString()))
                        .ifNoneMatch("*")
                        .checksumSHA256(checksumSha256)
                        .build()));
        presigned.url().toString();
        return presigned;
    }

    /** HS256 signature check, claims parsing and the default validators (exp, nbf). */
    @Benchmark
    public Jwt jwtDecode() {
        return jwtDecoder.decode(tokens[next()]);
    }

    @Benchmark
    public UploadRequest parseRequest() {
        return UploadRequest.parse(bodies[next()], json);
    }

    /** What Spring MVC does with the ticket: Jackson writes the 201 body. */
    @Benchmark
    public byte[] writeResponse() {
        return json.writeValueAsBytes(ticket);
    }

    /**
     * UploadSigner.sign as the controller calls it (parse, profile checks, key, presign, response
     * headers, metrics), with a ledger that grants without a database: the signing timer's work
     * minus the ledger.
     */
    @Benchmark
    @Warmup(iterations = 5, time = 2)
    public SigningOutcome signWithoutLedger() {
        int i = next();
        return signerWithoutLedger.sign(users[i], bodies[i]);
    }

    /** Grants every reservation without touching a database. */
    static final class NoLedger extends QuotaLedger {
        NoLedger() {
            super(
                    JdbcClient.create(new DriverManagerDataSource()),
                    new JdbcTransactionManager(new DriverManagerDataSource()));
        }

        @Override
        public ReserveOutcome reserve(
                ReservationRequest request, io.uploadguard.ledger.policy.Quota quota, Instant now) {
            return new ReserveOutcome.Reserved(null);
        }
    }
}
