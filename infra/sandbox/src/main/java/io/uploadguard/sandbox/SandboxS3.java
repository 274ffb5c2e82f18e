package io.uploadguard.sandbox;

import io.uploadguard.sandbox.faults.LatencyBlobStore;
import io.uploadguard.sandbox.faults.Restartable;
import io.uploadguard.sandbox.s3events.S3Events;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/** The sandbox's S3: S3Proxy verifying SigV4, over a store that announces every change. */
final class SandboxS3 {

    private SandboxS3() {}

    static String endpoint(SandboxConfig config, int port) {
        return "http://" + config.host() + ":" + port;
    }

    /** Starts S3Proxy (restartable for fault tests), pushed on {@code parts}, with the buckets created. */
    static Restartable start(SandboxConfig config, int port, S3Events events, Deque<AutoCloseable> parts)
            throws Exception {
        BlobStore stored = new VanishedDirectoryRetry(blobStore(config));
        if (!config.s3Latency().isZero()) {
            stored = new LatencyBlobStore(stored, config.s3Latency());
        }
        BlobStore store = events.notifying(stored);
        Restartable s3 = new Restartable("S3", () -> {
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create(endpoint(config, port)))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, config.accessKey(), config.secretKey())
                    .corsRules(cors(config.corsOrigins()))
                    .build();
            proxy.start();
            return proxy::stop;
        });
        s3.start();
        parts.push(s3);
        Stream.concat(Stream.of(config.bucket()), config.extraBuckets().stream())
                .distinct()
                .forEach(store::createContainer);
        return s3;
    }

    private static BlobStore blobStore(SandboxConfig config) throws IOException {
        if (config.storageDir().isEmpty()) {
            return new TransientNio2BlobStore();
        }
        Path dir = config.storageDir().get();
        Files.createDirectories(dir);
        return new FilesystemNio2BlobStore(dir.toAbsolutePath().toString());
    }

    private static CrossOriginResourceSharing cors(List<String> origins) {
        // S3Proxy reads origins as regular expressions; ours are literal origins or "*"
        List<String> patterns =
                origins.stream().map(o -> o.equals("*") ? o : Pattern.quote(o)).toList();
        return new CrossOriginResourceSharing(
                patterns,
                List.of("GET", "HEAD", "PUT"),
                List.of("*"),
                List.of("ETag", "x-amz-request-id", "x-amz-version-id"),
                "");
    }
}
