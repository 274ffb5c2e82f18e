package io.uploadguard.enforcer.scanning;

import io.uploadguard.security.LogSafe;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams an object from S3 to clamd: the whole object, one chunk at a time, the version inspection
 * saw (If-Match on its ETag). An object larger than clamd's stream limit is not sent at all, since
 * clamd would scan only its start; it cannot be scanned, which the gate never treats as clean.
 */
final class ClamdScanner implements MalwareScanner {

    private static final Logger log = LoggerFactory.getLogger(ClamdScanner.class);

    private final S3Client s3;
    private final ClamdClient clamd;
    private final long streamMaxLength;

    ClamdScanner(S3Client s3, ClamdClient clamd, ScannerProperties.Clamd settings) {
        this.s3 = s3;
        this.clamd = clamd;
        this.streamMaxLength = settings.streamMaxLength().toBytes();
    }

    @Override
    public ScanResult scan(ScanTarget target) {
        if (target.size() > streamMaxLength) {
            return new ScanResult.CouldNotScan(
                    "object of " + target.size() + " bytes is over clamd's stream limit of " + streamMaxLength, false);
        }
        try (var object = s3.getObject(get -> {
            get.bucket(target.bucket()).key(target.key());
            if (target.eTag() != null) {
                get.ifMatch(target.eTag());
            }
        })) {
            return clamd.instream(object);
        } catch (S3Exception e) {
            // 412: replaced since inspection (its own event inspects the new object); 404: deleted.
            // Either way the next delivery of this event finds out what is there now.
            return new ScanResult.CouldNotScan("S3 GET failed with status " + e.statusCode(), true);
        } catch (IOException | UncheckedIOException | SdkException e) {
            log.warn(
                    "scan of key={} could not be completed via clamd at {}: {}",
                    LogSafe.escape(target.key()),
                    clamd.address(),
                    e.toString());
            return new ScanResult.CouldNotScan(
                    "clamd unreachable or timed out: " + e.getClass().getSimpleName(), true);
        }
    }

    @Override
    public String name() {
        return "clamd";
    }
}
