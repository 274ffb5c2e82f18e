package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.launcher.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's three ways for a frontend (issue 19), run as a web app on another origin would:
 * the snippet files of {@code clients/js/examples} loaded by a page of {@link PageServer} in
 * Debian's Chromium, against the pipeline. Plain fetch uploads through the signer with CORS and is
 * refused from an origin the signer does not list; the client package uploads with progress and
 * gets the verdict; Uppy with the one-import adapter uploads a PNG (accepted) and a disguised file
 * (rejected); in parts, the client package and Uppy each upload a 40 MiB video, accepted. Skipped, with the reason, without Chromium or the npm modules (.ci/run installs both).
 */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class FrontendSnippetsTest {

    @Test
    void aWebAppOnAnotherOriginUploadsThreeWays(LocalSettings s) throws Exception {
        BrowserRun.assumeBrowser();
        Path out = Files.createDirectories(Path.of("target", "browser", "frontends"));
        Path png = out.resolve("pixel.png");
        Path disguised = out.resolve("disguised.png");
        Files.write(png, Demo.Samples.png());
        Files.write(disguised, Demo.Samples.disguisedHtml());
        // above the video profile's multipart threshold (32 MiB): five parts of 8 MiB
        Path video = LargeUploadBrowserTest.write(
                out.resolve("clip.mp4"), LargeUploadBrowserTest.mp4Header(), 40 * LargeUploadBrowserTest.MiB);

        try (PageServer pages = BrowserRun.appPages()) {
            String settings = JsonMapper.builder()
                    .build()
                    .writeValueAsString(Map.of(
                            "appUrl", "http://127.0.0.1:" + SharedPipeline.APP_PORT,
                            "otherOriginUrl", "http://localhost:" + SharedPipeline.APP_PORT,
                            "signerUrl", s.signerUrl(),
                            "token", LargeUploadBrowserTest.tokenOfItsOwn(s, "frontend"),
                            "png", png.toAbsolutePath().toString(),
                            "disguised", disguised.toAbsolutePath().toString(),
                            "video", video.toAbsolutePath().toString(),
                            "vendorDir", out.resolve("vendor").toAbsolutePath().toString()));
            String output = BrowserRun.node("frontends.mjs", settings);

            assertThat(output)
                    .contains("fetch: accepted image/png")
                    .containsPattern("fetch from an origin the signer does not allow: refused: TypeError")
                    .containsPattern("client: accepted, progress 0 .*100")
                    .contains("uppy: pixel.png accepted")
                    .containsPattern("uppy: disguised.png rejected .*TYPE_MISMATCH")
                    .containsPattern("client multipart: accepted, \\d+ progress steps, last 100 %")
                    .contains("uppy multipart: clip.mp4 accepted in 5 parts")
                    .doesNotContain("FAILED: ");
        }
    }
}
