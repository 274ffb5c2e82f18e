package io.uploadguard.sandbox;

class SandboxPresignedPutTest extends PresignedPutConformance {
    @Override
    AwsTarget target() {
        return SandboxTarget.shared();
    }
}
