package io.uploadguard.sandbox.client;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running sandbox: one per test run, started on first use and kept in JUnit's root
 * store, which stops it when the run ends.
 *
 * <p>Use with {@code @ExtendWith(SandboxExtension.class)} and a {@link SandboxEndpoints} parameter
 * on a constructor, a lifecycle method or a test. The sandbox is started before the class's
 * {@code @BeforeAll} methods, so static code that runs later in the class (e.g. Spring's
 * {@code @DynamicPropertySource} calling {@link SandboxProcess#shared()}) gets the same one.
 */
public final class SandboxExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SandboxExtension.class);

    /** The run's sandbox, started if need be. */
    public static SandboxEndpoints endpoints(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(SharedSandbox.class, key -> SharedSandbox.startOrJoin(), SharedSandbox.class)
                .endpoints();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoints(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SandboxEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return endpoints(context);
    }
}
