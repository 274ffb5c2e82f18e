package io.uploadguard.enforcer;

import java.util.Optional;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Looks at what really arrived: HEAD for the real size, type and metadata, then a ranged GET of a
 * bounded prefix for the bytes, so memory stays flat whatever the object's size.
 */
@Component
class ObjectInspector {

    private final S3Client s3;
    private final ContentSniffer sniffer;
    private final EnforcerProperties properties;

    ObjectInspector(S3Client s3, ContentSniffer sniffer, EnforcerProperties properties) {
        this.s3 = s3;
        this.sniffer = sniffer;
        this.properties = properties;
    }

    /** Empty when the object is not there (anymore). */
    Optional<Inspection> inspect(String bucket, String key) {
        Optional<HeadObjectResponse> head = head(bucket, key);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        long size = head.get().contentLength();
        byte[] prefix = new byte[0];
        if (size > 0) {
            long last = Math.min(size, properties.enforcer().sniffBytes().toBytes()) - 1;
            try {
                ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)
                        .range("bytes=0-" + last).ifMatch(head.get().eTag()));
                prefix = bytes.asByteArray();
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new Inspection(bucket, key, size, head.get().contentType(), head.get().metadata(),
                head.get().eTag(), sniffer.detect(prefix)));
    }

    Optional<HeadObjectResponse> head(String bucket, String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
