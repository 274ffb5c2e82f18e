package io.uploadguard.enforcer.inspection;

import io.uploadguard.enforcer.EnforcerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Looks at what really arrived with one ranged GET of a bounded prefix: its response carries the
 * real size (Content-Range), the stored type, the metadata and the ETag, and the bytes are read up
 * to the bound and no further, so memory stays flat whatever the object's size. (A HEAD first
 * would say nothing more and cost a fifth of the enforcer's S3 work.)
 */
@Component
public class ObjectInspector {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes \\d+-\\d+/(\\d+)");

    private final S3Client s3;
    private final ContentSniffer sniffer;
    private final EnforcerProperties properties;

    ObjectInspector(S3Client s3, ContentSniffer sniffer, EnforcerProperties properties) {
        this.s3 = s3;
        this.sniffer = sniffer;
        this.properties = properties;
    }

    /** Empty when the object is not there (anymore). */
    public Optional<Inspection> inspect(String bucket, String key) {
        int window = (int) properties.enforcer().sniffBytes().toBytes();
        GetObjectResponse response;
        byte[] prefix;
        try (ResponseInputStream<GetObjectResponse> in =
                s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=0-" + (window - 1)))) {
            response = in.response();
            prefix = in.readNBytes(window);
            if (in.read() >= 0) {
                // a store that ignored the range: never read (or drain) the rest
                in.abort();
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // NoSuchKey, or a HEAD-style 404 without a body
                return Optional.empty();
            }
            if (e.statusCode() == 416) {
                // S3 has no byte range of an empty object to give
                return head(bucket, key)
                        .map(h -> new Inspection(
                                bucket,
                                key,
                                h.contentLength(),
                                h.contentType(),
                                h.metadata(),
                                h.eTag(),
                                sniffer.detect(new byte[0])));
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the first bytes of " + key + " failed", e);
        }
        return Optional.of(new Inspection(
                bucket,
                key,
                totalSize(response, prefix.length),
                response.contentType(),
                response.metadata(),
                response.eTag(),
                sniffer.detect(prefix)));
    }

    /** The object's size from Content-Range; a store that sent the whole object says it in Content-Length. */
    private static long totalSize(GetObjectResponse response, int read) {
        if (response.contentRange() != null) {
            Matcher m = CONTENT_RANGE.matcher(response.contentRange());
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
            throw new IllegalStateException("unexpected Content-Range: " + response.contentRange());
        }
        return response.contentLength() != null ? response.contentLength() : read;
    }

    public Optional<HeadObjectResponse> head(String bucket, String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
