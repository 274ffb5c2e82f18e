package io.uploadguard.signer;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Presigns the PUT of an upload with the SDK's own SigV4 signer, over a URL whose bucket part the
 * SDK's presigner resolved once, at start. {@link S3Presigner#presignPutObject} runs the whole
 * client pipeline for every URL (request marshalling, interceptors, the S3 endpoint rules engine,
 * auth scheme resolution): that was most of a presign's CPU, and its answer never changes for one
 * bucket. The signing itself, the signed headers and the URL's shape are the SDK's: the same
 * {@link AwsV4HttpSigner} in presign mode (query string, UNSIGNED-PAYLOAD, no double encoding or
 * path normalisation, as for S3), the key encoded as the SDK encodes it, the same headers.
 */
public final class PutUrlSigner {

    private static final String PROBE_KEY = "uploadguard-probe";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final URI bucketUrl;
    private final String origin;
    private final String host;
    private final String region;

    PutUrlSigner(URI bucketUrl, String host, String region, AwsCredentialsProvider credentials) {
        this.bucketUrl = bucketUrl;
        this.origin = bucketUrl.getScheme() + "://" + bucketUrl.getRawAuthority();
        this.host = host;
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * Resolves the bucket's URL, host and signing region by presigning one PUT with {@code presigner}
     * (so endpoint override, path-style or virtual-host addressing and region follow its settings).
     * {@code credentials} must be the presigner's.
     */
    public static PutUrlSigner forBucket(S3Presigner presigner, String bucket, AwsCredentialsProvider credentials) {
        PresignedPutObjectRequest probe = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                .putObjectRequest(
                        PutObjectRequest.builder().bucket(bucket).key(PROBE_KEY).build()));
        URI url = URI.create(probe.url().toString());
        String path = url.getRawPath();
        if (!path.endsWith("/" + PROBE_KEY)) {
            throw new IllegalStateException(
                    "unexpected presigned URL shape: " + url.getScheme() + "://" + url.getRawAuthority() + path);
        }
        URI bucketUrl = URI.create(url.getScheme() + "://" + url.getRawAuthority()
                + path.substring(0, path.length() - PROBE_KEY.length()));
        return new PutUrlSigner(
                bucketUrl, probe.signedHeaders().get("host").get(0), signingRegion(url.getRawQuery()), credentials);
    }

    /** The region of the credential scope: {@code X-Amz-Credential=<key>/<date>/<region>/s3/aws4_request}. */
    private static String signingRegion(String rawQuery) {
        for (String parameter : rawQuery.split("&")) {
            if (parameter.startsWith("X-Amz-Credential=")) {
                String[] scope = SdkHttpUtils.urlDecode(parameter.substring("X-Amz-Credential=".length()))
                        .split("/");
                return scope[scope.length - 3];
            }
        }
        throw new IllegalStateException("no X-Amz-Credential in a presigned URL");
    }

    /** The URL the client PUTs to, the headers it must send (with host), and when the URL expires. */
    public record PresignedPut(String url, Map<String, List<String>> signedHeaders, Instant expiration) {}

    /**
     * A PUT of a new object ({@code If-None-Match: *}) with its type, length, user metadata
     * ({@code x-amz-meta-<name>}) and, if given, its SHA-256 checksum signed in, as
     * {@code PutObjectRequest}'s fields of the same names would be.
     */
    public PresignedPut presign(
            String key,
            String contentType,
            long contentLength,
            Map<String, String> metadata,
            String checksumSha256,
            Instant now,
            Duration lifetime) {
        String path = bucketUrl.getRawPath() + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.PUT)
                .protocol(bucketUrl.getScheme())
                .host(bucketUrl.getHost())
                .port(bucketUrl.getPort())
                .encodedPath(path)
                .putHeader("host", host)
                .putHeader("content-type", contentType)
                .putHeader("content-length", Long.toString(contentLength))
                .putHeader("if-none-match", "*");
        metadata.forEach((name, value) -> request.putHeader("x-amz-meta-" + name, value));
        if (checksumSha256 != null) {
            request.putHeader("x-amz-checksum-sha256", checksumSha256);
        }
        SdkHttpRequest signed = signer.sign(s -> s.identity(credentials.resolveCredentials())
                        .request(request.build())
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                                AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, lifetime)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
                .request();
        // the URL as SdkHttpRequest.getUri() writes it, without building and parsing a java.net.URI
        // (a third of this method's time under load)
        String url = origin + path + "?"
                + SdkHttpUtils.encodeAndFlattenQueryParameters(signed.rawQueryParameters())
                        .orElseThrow();
        return new PresignedPut(url, signed.headers(), now.plus(lifetime));
    }
}
