package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the browser tests share: the skip conditions, the app's page server, and a node script run. */
final class BrowserRun {

    static final Path BROWSER_DIR = Path.of("src/test/browser");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path REPO = Path.of("..");

    private BrowserRun() {}

    static void assumeBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(
                Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))
                        && Files.isDirectory(BROWSER_DIR.resolve("node_modules/@uppy/aws-s3")),
                "the browser test's npm modules are not installed (npm ci --prefix launcher/src/test/browser)");
        assumeTrue(onPath("node"), "no node on PATH");
    }

    /**
     * A web app's origin on {@link SharedPipeline#APP_PORT}: the test pages, the client package's
     * modules (its one source), the README's snippets, and Uppy as bundled by the node script.
     */
    static PageServer appPages() throws IOException {
        return PageServer.start(
                SharedPipeline.APP_PORT,
                Map.of(
                        "/pages/", BROWSER_DIR.resolve("pages"),
                        "/client/", REPO.resolve("clients/js/src"),
                        "/examples/", REPO.resolve("clients/js/examples"),
                        "/vendor/", Path.of("target/browser/frontends/vendor")));
    }

    /** Runs a node script of the browser folder; its output, after asserting that it exited 0. */
    static String node(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command)
                .directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        node.getOutputStream().close();
        boolean finished = node.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("the browser run finished").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        return output;
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
