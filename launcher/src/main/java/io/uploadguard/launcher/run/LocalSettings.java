package io.uploadguard.launcher.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the launcher tells the demo and the command-line client (written to {@code work/local.json}):
 * where the services and the webhook receiver (the local backend) are, the demo users' tokens and the secret that signs them (so scripts and
 * tests can mint tokens for other users). Local, throw-away values only.
 */
public record LocalSettings(
        String signerUrl,
        String enforcerUrl,
        String receiverUrl,
        String pageUrl,
        String s3Endpoint,
        String bucket,
        String demoUser,
        String demoToken,
        String smallQuotaUser,
        String smallQuotaToken,
        String adminToken,
        String hmacSecret) {

    public static final Path DEFAULT_FILE = Path.of("work", "local.json");
    static final Set<PosixFilePermission> OWNER_ONLY =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * Writes the file readable by its owner only (it holds the HMAC secret and tokens): created with
     * those permissions, so it is never readable by others, not even for a moment.
     */
    public void writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // a file left by an earlier run may have other permissions: start from a new one
            Files.deleteIfExists(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            Files.writeString(file, JSON.writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static LocalSettings readFrom(Path file) {
        if (!Files.exists(file)) {
            throw new LaunchException("no " + file + ": start the pipeline first with ./run-local");
        }
        try {
            return JSON.readValue(Files.readString(file), LocalSettings.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
