package io.uploadguard.signer;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The Content-Security-Policy of the upload page (and of every other answer): scripts, styles and
 * everything else from the signer itself only, no inline script, and {@code connect-src} widened to
 * the one origin the page PUTs files to. That origin is taken from a URL presigned the way the
 * signer presigns uploads, so it follows the configured S3 endpoint, region and addressing style.
 */
final class UploadPagePolicy {

    private UploadPagePolicy() {}

    static String header(S3Presigner presigner, String bucket) {
        return "default-src 'self'; connect-src 'self' " + bucketOrigin(presigner, bucket)
                + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    static String bucketOrigin(S3Presigner presigner, String bucket) {
        URI url = URI.create(presigner
                .presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                        .putObjectRequest(PutObjectRequest.builder()
                                .bucket(bucket)
                                .key("origin")
                                .build()))
                .url()
                .toString());
        return url.getScheme() + "://" + url.getRawAuthority();
    }
}
