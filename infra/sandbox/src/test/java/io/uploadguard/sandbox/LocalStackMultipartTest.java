package io.uploadguard.sandbox;

import org.junit.jupiter.api.Tag;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/** The same conformance suite against LocalStack; skipped where no Docker engine runs. */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackMultipartTest extends MultipartConformance {

    @Container
    static final LocalStackContainer LOCALSTACK = LocalStackTarget.container();

    @Override
    AwsTarget target() {
        return new LocalStackTarget(LOCALSTACK);
    }
}
