package io.uploadguard.signer;

import io.uploadguard.ledger.LedgerConfiguration;
import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.ServiceWebConfiguration;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The signer: {@code POST /uploads} over HTTP, or the same logic as an AWS Lambda function. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import({LedgerConfiguration.class, ServiceWebConfiguration.class})
@EnableConfigurationProperties(AuthProperties.class)
public class SignerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SignerApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
