package io.uploadguard.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadguard.launcher.run.LauncherMain;
import io.uploadguard.launcher.run.LocalPipeline;
import io.uploadguard.launcher.run.SharedPipeline;
import io.uploadguard.sandbox.client.SandboxEndpoints;
import io.uploadguard.sandbox.client.SandboxFaults;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The soak's logic in small: 16 s of uploads at 4/s with SQS unreachable for about 5 s, against the
 * shared pipeline. The real soak ({@code ./soak}, minutes long) is not part of the build.
 */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class SoakSmokeTest {

    private static final Path REPO = Path.of(System.getProperty(LauncherMain.REPO_PROPERTY));

    @Test
    void aShortSoakWithAnOutageLosesNoUploadAndTheBooksReconcile(LocalPipeline pipeline) {
        SoakOptions options = new SoakOptions(
                Duration.ofSeconds(16),
                4,
                20261130L,
                REPO.resolve("launcher/target/soak"),
                Duration.ofSeconds(8),
                Duration.ofSeconds(5),
                List.of(SoakFault.Kind.SQS),
                1,
                Duration.ofSeconds(90));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(printed, System.out), true, StandardCharsets.UTF_8);

        SoakSummary summary = new Soak(pipeline, sandbox(), options, out).run();

        assertThat(summary.faults()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(SoakFault.Kind.SQS);
            assertThat(f.error()).isNull();
            assertThat(f.verdictsAgain()).isNotNull();
        });
        assertThat(summary.counts().attempted()).isEqualTo(64);
        assertThat(summary.counts().putOk()).isPositive();
        assertThat(summary.counts().settled())
                .isEqualTo(summary.counts().putOk() + summary.counts().storedDespiteError());
        assertThat(summary.counts().errors()).isEmpty();
        assertThat(summary.lost()).isEmpty();
        assertThat(summary.wrongVerdicts()).isEmpty();
        assertThat(summary.booksMismatches()).isEmpty();
        assertThat(summary.deadLettersLeft()).isZero();
        assertThat(summary.reconciliation().consistent())
                .as(summary.reconciliation().description())
                .isTrue();
        assertThat(summary.passed()).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("SOAK SUMMARY", "invariants hold", "RESULT PASSED");
    }

    /** Other tests share the pipeline: whatever happens above, every server is running afterwards. */
    @AfterEach
    void everyPartRunsAgain() {
        SandboxFaults faults = new SandboxFaults(sandbox());
        for (String part : List.of("s3", "sqs", "postgres")) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> faults.start(part));
        }
    }

    private static SandboxEndpoints sandbox() {
        return SandboxEndpoints.readFrom(REPO.resolve("launcher/target/pipeline/sandbox/sandbox-endpoints.json"));
    }

    /** Prints as it goes (for the surefire report) and keeps a copy to check. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
