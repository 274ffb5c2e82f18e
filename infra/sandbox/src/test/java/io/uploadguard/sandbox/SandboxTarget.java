package io.uploadguard.sandbox;

import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;

/** One in-process sandbox for all conformance tests of this JVM, stopped when the JVM exits. */
final class SandboxTarget extends AwsTarget {

    private static SandboxTarget shared;

    private final Sandbox sandbox;

    private SandboxTarget(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    static synchronized SandboxTarget shared() {
        if (shared == null) {
            Sandbox sandbox = Sandbox.start(SandboxConfig.defaults()
                    .withWorkDir(Path.of("target", "conformance-sandbox"))
                    .withMaxReceiveCount(2));
            Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
            System.out.println(
                    "conformance sandbox started in " + sandbox.startupTime().toMillis() + " ms");
            shared = new SandboxTarget(sandbox);
        }
        return shared;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    @Override
    URI s3Endpoint() {
        return URI.create(sandbox.endpoints().s3Endpoint());
    }

    @Override
    URI sqsEndpoint() {
        return URI.create(sandbox.endpoints().sqsEndpoint());
    }

    @Override
    String region() {
        return sandbox.endpoints().region();
    }

    @Override
    String accessKey() {
        return sandbox.endpoints().accessKey();
    }

    @Override
    String secretKey() {
        return sandbox.endpoints().secretKey();
    }

    @Override
    void putNotificationConfiguration(String bucket, NotificationConfiguration configuration) {
        sandbox.putNotificationConfiguration(bucket, configuration);
    }
}
