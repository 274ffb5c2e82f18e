package io.uploadguard.enforcer.inspection;

import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * Flexible checksums only where S3 requires them. The enforcer reads a prefix (S3 returns no
 * whole-object checksum for a byte range, so there is nothing to validate) and otherwise copies and
 * deletes (no payload): by default the SDK still asks for checksums on every GET and sets up its
 * checksum machinery on every call, CPU spent for nothing on each object.
 */
@Configuration(proxyBeanMethods = false)
class S3ClientSettings {

    @Bean
    S3ClientCustomizer checksumsWhenRequired() {
        return builder -> builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
}
