package io.uploadguard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** One pipeline (sandbox, signer, enforcer as child processes) for all tests of this JVM. */
final class SharedPipeline {

    private static LocalPipeline pipeline;

    private SharedPipeline() {}

    static synchronized LocalPipeline pipeline() {
        settings();
        return pipeline;
    }

    static synchronized LocalSettings settings() {
        if (pipeline == null) {
            Path repo = Path.of(System.getProperty(LauncherMain.REPO_PROPERTY));
            pipeline = LocalPipeline.start(
                    new LocalPipeline.Options(repo, repo.resolve("launcher/target/pipeline"), freePort(), freePort()));
            Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "pipeline-stop"));
        }
        return pipeline.settings();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
