package io.uploadguard.sandbox;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(SandboxTarget.Extension.class)
class SandboxMultipartTest extends MultipartConformance {

    private final SandboxTarget target;

    SandboxMultipartTest(SandboxTarget target) {
        this.target = target;
    }

    @Override
    AwsTarget target() {
        return target;
    }
}
