package io.uploadguard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12: the services' HMAC secret is not on any command line ({@code ps} shows those to every
 * user of the machine), and {@code local.json}, which holds it, is readable by its owner only.
 */
@Tag("integration")
@ExtendWith(SharedPipeline.class)
class LocalSecretsTest {

    @Test
    void noChildProcessHasTheSecretOnItsCommandLine(LocalSettings settings) {
        List<String> commandLines = ProcessHandle.current()
                .descendants()
                .map(p -> String.join(" ", p.info().arguments().orElse(new String[0])))
                .filter(line -> !line.isEmpty())
                .toList();

        // the signer and the enforcer are among them: the check below looked at real command lines
        assertThat(commandLines)
                .anyMatch(line -> line.contains("uploadguard-signer-"))
                .anyMatch(line -> line.contains("uploadguard-enforcer-"));
        assertThat(commandLines).noneMatch(line -> line.contains(settings.hmacSecret()));
    }

    @Test
    void localJsonIsReadableByItsOwnerOnly(LocalSettings settings) throws Exception {
        Path file =
                Path.of(System.getProperty(LauncherMain.REPO_PROPERTY)).resolve("launcher/target/pipeline/local.json");

        assertThat(Files.readString(file)).contains(settings.hmacSecret());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(LocalSettings.OWNER_ONLY);
    }

    @Test
    void aFileLeftWithWiderPermissionsIsReplacedByAnOwnerOnlyOne(LocalSettings settings) throws Exception {
        Path file = Files.createTempDirectory("local-settings").resolve("local.json");
        Files.writeString(file, "{}");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        settings.writeTo(file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(LocalSettings.OWNER_ONLY);
        assertThat(LocalSettings.readFrom(file)).isEqualTo(settings);
    }
}
