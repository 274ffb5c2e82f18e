package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uploadguard.launcher.demo.Demo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upload page in a real browser: Debian's Chromium, driven by playwright-core from npm. A real
 * PNG is accepted, an HTML file named .png is rejected, and a screenshot is kept in
 * {@code launcher/target/browser/}. Skipped, with the reason, where no Chromium or Node.js is
 * installed (.ci/run installs both).
 */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class BrowserUploadTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @Test
    void aPersonUploadsAPngAndADisguisedPageAndSeesBothVerdicts(LocalSettings s) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(
                Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
                "playwright-core is not installed (npm ci --prefix launcher/src/test/browser)");
        assumeTrue(onPath("node"), "no node on PATH");

        Path out = Files.createDirectories(Path.of("target", "browser"));
        Path png = out.resolve("pixel.png");
        Path disguised = out.resolve("disguised.png");
        Files.write(png, Demo.Samples.png());
        Files.write(disguised, Demo.Samples.disguisedHtml());
        Path screenshot = out.resolve("upload-page.png");
        Files.deleteIfExists(screenshot);

        Process node = new ProcessBuilder(
                        "node",
                        "upload-page.mjs",
                        s.signerUrl() + "/",
                        s.demoToken(),
                        png.toAbsolutePath().toString(),
                        disguised.toAbsolutePath().toString(),
                        screenshot.toAbsolutePath().toString())
                .directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        node.getOutputStream().close();
        boolean finished = node.waitFor(180, TimeUnit.SECONDS);
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(finished).as("the browser run finished").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("pixel.png: Accepted")
                .contains("disguised.png: Rejected: ")
                .contains("TYPE_MISMATCH");
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(1000);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
