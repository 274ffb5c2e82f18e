package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.security.LocalTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 16's browser bar on the signer's upload page, in Chromium: a 64 MiB video goes up in 8 MiB
 * parts with the progress bar shown; one part's connection is cut and the page sends it again; the
 * page is reloaded halfway and, the same file picked again, the upload resumes from what storage
 * holds and is accepted. A disguised large file (HTML named .mp4) is rejected.
 */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class LargeUploadBrowserTest {

    static final int MiB = 1024 * 1024;

    @Test
    void aLargeVideoSurvivesACutPartAndAReloadAndADisguisedOneIsRejected(LocalSettings s) throws Exception {
        BrowserRun.assumeBrowser();
        Path out = Files.createDirectories(Path.of("target", "browser", "large"));
        Path video = write(out.resolve("holiday.mp4"), mp4Header(), 64 * MiB);
        Path disguised = write(
                out.resolve("disguised.mp4"),
                "<!DOCTYPE html><html><body><script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII),
                40 * MiB);
        Path screenshot = out.resolve("large-upload.png");

        String output = BrowserRun.node(
                "large-upload.mjs",
                JsonMapper.builder()
                        .build()
                        .writeValueAsString(Map.of(
                                "pageUrl", s.signerUrl() + "/",
                                "signerUrl", s.signerUrl(),
                                "token", tokenOfItsOwn(s, "large"),
                                "video", video.toAbsolutePath().toString(),
                                "disguised", disguised.toAbsolutePath().toString(),
                                "screenshot", screenshot.toAbsolutePath().toString())));

        assertThat(output)
                .containsPattern("8 parts planned; stored before the reload: 1,2,3,4;")
                .contains("part 3 connections cut: 1")
                .containsPattern("page: Part 3 failed \\(connection cut\\); sending it again")
                .contains("page after the reload: Resuming upload")
                .contains("storage already holds 4 of 8 parts")
                .contains("video: Accepted, progress shown 100 %")
                .contains("forgotten once completed: true")
                .containsPattern("disguised: Rejected: .*TYPE_MISMATCH")
                .doesNotContain("FAILED: ");
        assertThat(screenshot).exists();
    }

    /**
     * A user of the test's own: the pipeline's demo user is shared by every launcher test, and a
     * rejected upload counts a violation against its user.
     */
    static String tokenOfItsOwn(LocalSettings s, String prefix) {
        return LocalTokens.mint(s.hmacSecret(), prefix + "-" + UUID.randomUUID(), Duration.ofMinutes(15));
    }

    /** An MP4's first box (brand mp42: Tika takes an isom brand for QuickTime), enough to detect video/mp4. */
    static byte[] mp4Header() {
        return new byte[] {
            0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0, 'm', 'p', '4', '2', 'i', 's', 'o', 'm'
        };
    }

    /** {@code head}, then zeros up to {@code size} bytes. */
    static Path write(Path file, byte[] head, int size) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file)) {
            stream.write(head);
            stream.write(new byte[size - head.length]);
        }
        return file;
    }
}
