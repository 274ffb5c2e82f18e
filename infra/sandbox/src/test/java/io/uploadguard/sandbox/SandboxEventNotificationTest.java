package io.uploadguard.sandbox;

class SandboxEventNotificationTest extends EventNotificationConformance {
    @Override
    AwsTarget target() {
        return SandboxTarget.shared();
    }
}
