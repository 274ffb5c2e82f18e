package io.uploadguard.sandbox.client;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running sandbox: one per test JVM ({@link SandboxProcess#shared()}), started on
 * first use and stopped when the JVM exits.
 *
 * <p>Use with {@code @ExtendWith(SandboxExtension.class)} and a {@link SandboxEndpoints} parameter
 * on a constructor, a lifecycle method or a test.
 */
public final class SandboxExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SandboxEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SandboxProcess.shared();
    }
}
