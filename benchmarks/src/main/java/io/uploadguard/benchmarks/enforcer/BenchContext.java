package io.uploadguard.benchmarks.enforcer;

import com.zaxxer.hikari.HikariDataSource;
import io.uploadguard.benchmarks.BenchSandbox;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What every phase talks to: the sandbox's S3 (SDK client configured as Spring Cloud AWS configures
 * the enforcer's: path-style, static credentials, the SDK's Apache 5 HTTP client), a presigner like
 * the signer's, the ledger over a small connection pool, and where results go.
 */
final class BenchContext implements AutoCloseable {

    /** Quotas high enough that no limit is met: the benchmark measures work, not refusals. */
    static final Quota UNLIMITED =
            new Quota(1_000_000_000_000_000L, 1_000_000_000L, 100_000_000, 1_000_000_000, Duration.ofHours(1));

    final SandboxEndpoints endpoints;
    final S3Client s3;
    final S3Presigner presigner;
    final HikariDataSource dataSource;
    final JdbcClient jdbc;
    final QuotaLedger ledger;
    final KeyLayout layout = KeyLayout.DEFAULT;
    final HttpClient http;
    private final Path results;

    private BenchContext(
            SandboxEndpoints endpoints,
            S3Client s3,
            S3Presigner presigner,
            HikariDataSource dataSource,
            HttpClient http,
            Path results) {
        this.endpoints = endpoints;
        this.s3 = s3;
        this.presigner = presigner;
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.ledger = new QuotaLedger(jdbc, new JdbcTransactionManager(dataSource));
        this.http = http;
        this.results = results;
    }

    static BenchContext open(Map<String, String> opts, int dbPool) {
        SandboxEndpoints e = SandboxEndpoints.readFrom(Path.of(Opts.required(opts, "endpoints")));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(e.accessKey(), e.secretKey()));
        S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(e.s3Endpoint()))
                .region(Region.of(e.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                // the SDK's default sync HTTP client, as the enforcer's (Apache 5, 50 connections); every upload
                // is a presigned PUT sent by the JDK's HTTP client, as browsers send them (no "Expect: 100-continue")
                .build();
        S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(URI.create(e.s3Endpoint()))
                .region(Region.of(e.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        HikariDataSource dataSource = BenchSandbox.pool(e, "enforcer-bench", dbPool);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String resultsFile = opts.get("results");
        return new BenchContext(e, s3, presigner, dataSource, http, resultsFile == null ? null : Path.of(resultsFile));
    }

    String bucket() {
        return endpoints.bucket();
    }

    /** Appends {@code name=value} to the results file (and nothing else: people read stdout). */
    void result(String name, Object value) {
        if (results == null) {
            return;
        }
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
        try {
            Files.writeString(
                    results,
                    name + "=" + text + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
        dataSource.close();
    }
}
