package io.uploadguard.sandbox;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;

/**
 * One in-process sandbox for all conformance tests of the run: started on first use and kept in
 * JUnit's root store, which closes it when the run ends. Tests take it as a constructor parameter
 * with {@code @ExtendWith(SandboxTarget.Extension.class)}.
 */
final class SandboxTarget extends AwsTarget implements AutoCloseable {

    private final Sandbox sandbox;

    private SandboxTarget(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(SandboxTarget.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SandboxTarget.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot()
                    .getStore(NAMESPACE)
                    .computeIfAbsent(SandboxTarget.class, key -> start(), SandboxTarget.class);
        }
    }

    private static SandboxTarget start() {
        Sandbox sandbox = Sandbox.start(SandboxConfig.fromArgs(
                new String[] {"--work-dir", "target/conformance-sandbox", "--max-receive-count", "2"}, Map.of()));
        System.out.println(
                "conformance sandbox started in " + sandbox.startupTime().toMillis() + " ms");
        return new SandboxTarget(sandbox);
    }

    /** Called by JUnit when the run ends (stored {@link AutoCloseable} values are closed). */
    @Override
    public void close() {
        sandbox.close();
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
