package io.uploadguard.signer;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.core.AwsProperties;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import java.net.URI;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The signer's one {@link S3Presigner}, built from the same {@code spring.cloud.aws.*} settings
 * as Spring Cloud AWS's own (which steps aside for it: {@code @ConditionalOnMissingBean}): region,
 * endpoint, credentials, path-style, FIPS, dual-stack. It adds what Spring Cloud AWS has no
 * property for: no multi-region access points (the signer presigns for one plain bucket), and
 * no region taken from an ARN unless set, so each presign skips those branches of the S3 endpoint
 * rules. Uploads' PUTs are signed by {@link PutUrlSigner}, which takes its URL from this presigner.
 */
@Configuration(proxyBeanMethods = false)
class PresignerConfiguration {

    @Bean
    S3Presigner s3Presigner(
            S3Properties s3,
            AwsProperties aws,
            AwsCredentialsProvider credentials,
            AwsRegionProvider regions,
            ObjectProvider<AwsConnectionDetails> connectionDetails) {
        S3Configuration.Builder service = s3.toS3Configuration().toBuilder().multiRegionEnabled(false);
        if (s3.getUseArnRegionEnabled() == null) {
            service.useArnRegionEnabled(false);
        }
        AwsConnectionDetails connection = connectionDetails.getIfAvailable();
        S3Presigner.Builder presigner = S3Presigner.builder()
                .serviceConfiguration(service.build())
                .credentialsProvider(credentials)
                .region(AwsClientBuilderConfigurer.resolveRegion(s3, connection, regions));
        URI endpoint = s3.getEndpoint() != null ? s3.getEndpoint() : aws.getEndpoint();
        if (connection != null && connection.getEndpoint() != null) {
            endpoint = connection.getEndpoint();
        }
        if (endpoint != null) {
            presigner.endpointOverride(endpoint);
        }
        Optional.ofNullable(aws.getFipsEnabled()).ifPresent(presigner::fipsEnabled);
        Optional.ofNullable(aws.getDualstackEnabled()).ifPresent(presigner::dualstackEnabled);
        return presigner.build();
    }

    @Bean
    PutUrlSigner putUrlSigner(
            S3Presigner s3Presigner, SignerProperties properties, AwsCredentialsProvider credentials) {
        return PutUrlSigner.forBucket(s3Presigner, properties.bucket(), credentials);
    }
}
