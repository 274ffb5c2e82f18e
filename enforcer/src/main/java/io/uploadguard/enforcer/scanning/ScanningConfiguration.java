package io.uploadguard.enforcer.scanning;

import io.micrometer.core.instrument.MeterRegistry;
import io.uploadguard.ledger.booking.QuotaLedger;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/** clamd when {@code uploadguard.scanner.clamd.host} is set, otherwise no scanner. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScannerProperties.class)
class ScanningConfiguration {

    private static final String CLAMD_CONFIGURED = "!'${uploadguard.scanner.clamd.host:}'.isBlank()";

    @Bean
    MalwareScanner malwareScanner(ScannerProperties properties, S3Client s3) {
        ScannerProperties.Clamd clamd = properties.clamd();
        return clamd.configured() ? new ClamdScanner(s3, new ClamdClient(clamd), clamd) : new NoScanner();
    }

    @Bean
    ScanMetrics scanMetrics(MeterRegistry registry, MalwareScanner scanner) {
        return new ScanMetrics(registry, scanner.name());
    }

    @Bean
    ScanGate scanGate(
            MalwareScanner scanner,
            ScanMetrics metrics,
            QuotaLedger ledger,
            ScannerProperties properties,
            Clock clock) {
        return new ScanGate(scanner, metrics, ledger, properties.pendingHorizon(), properties.retryBackoff(), clock);
    }

    /** In the readiness group: an enforcer that cannot reach its scanner would only hold objects. */
    @Bean
    @ConditionalOnExpression(CLAMD_CONFIGURED)
    ClamdHealthIndicator clamdHealthIndicator(ScannerProperties properties, ScanMetrics metrics) {
        return new ClamdHealthIndicator(new ClamdClient(properties.clamd()), metrics);
    }
}
