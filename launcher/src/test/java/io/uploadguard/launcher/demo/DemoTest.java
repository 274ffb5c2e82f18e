package io.uploadguard.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.launcher.run.LocalSettings;
import io.uploadguard.launcher.run.SharedPipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo story passes against the real pipeline, every step. */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class DemoTest {

    @Test
    void everyStepOfTheStoryComesOutAsExpected(LocalSettings settings) {
        var printed = new ByteArrayOutputStream();

        boolean passed = new Demo(settings, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(passed).as(output).isTrue();
        assertThat(output)
                .contains("[ok]     1. an honest PNG is accepted")
                .contains("[ok]     1. the backend was told")
                .contains("[ok]     2. HTML posing as a PNG is quarantined")
                .contains("[ok]     2. the backend was told")
                .contains("[ok]     3. one byte more than signed is refused by S3")
                .contains("[ok]     4. a user over quota is refused at signing")
                .doesNotContain("[FAILED]");
        // run where clamd is installed, skipped with its reason where not: never silently absent
        assertThat(output).containsPattern("\\[(ok|skipped)] +6\\. a file carrying the test signature is quarantined");
    }
}
