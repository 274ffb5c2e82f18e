package io.uploadguard.launcher.run;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One pipeline (sandbox, signer, enforcer as child processes) for the whole test run: started on
 * first use and kept in JUnit's root store, which closes it when the run ends.
 *
 * <p>Use with {@code @ExtendWith(SharedPipeline.class)} and a {@link LocalPipeline} or
 * {@link LocalSettings} parameter.
 */
public final class SharedPipeline implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPipeline.class);

    /** Kept in the root store: JUnit closes stored {@link AutoCloseable} values when the run ends. */
    private record Running(LocalPipeline pipeline) implements AutoCloseable {
        @Override
        public void close() {
            pipeline.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalPipeline.class || type == LocalSettings.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalPipeline pipeline = pipeline(context);
        return parameter.getParameter().getType() == LocalPipeline.class ? pipeline : pipeline.settings();
    }

    static LocalPipeline pipeline(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(Running.class, key -> new Running(start()), Running.class)
                .pipeline();
    }

    /**
     * The port of the browser tests' page server ({@link PageServer}): its origin
     * {@code http://127.0.0.1:PORT} is one the signer allows by CORS; {@code http://localhost:PORT}
     * is another origin, not allowed.
     */
    static final int APP_PORT = PageServer.freePort();

    private static LocalPipeline start() {
        Path repo = Path.of(System.getProperty(LauncherMain.REPO_PROPERTY));
        return LocalPipeline.start(LocalPipeline.Options.onFreePorts(repo, repo.resolve("launcher/target/pipeline"))
                .withAppOrigins(List.of("http://127.0.0.1:" + APP_PORT)));
    }
}
