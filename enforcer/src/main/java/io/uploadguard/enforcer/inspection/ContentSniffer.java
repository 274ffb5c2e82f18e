package io.uploadguard.enforcer.inspection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.springframework.stereotype.Component;

/**
 * Names the real type of an object from its first bytes with Apache Tika's magic numbers and XML
 * root detection.
 *
 * <p>Only the bytes are given to Tika: never the key's extension nor the declared content type,
 * which whoever uploads chooses, and which Tika would otherwise use as hints. It uses Tika's
 * {@link MimeTypes} rather than the default detector chain, so the answer does not change when
 * another Tika module on the class path adds container detectors (which want the whole file, where
 * we have a prefix).
 *
 * <p>Known limits of magic-number detection: a file that is two formats at once (a GIF whose header
 * is also valid JavaScript, a PNG followed by HTML) is named by its first bytes, so it passes as the
 * image it also is; and an SVG that opens with a long XML prolog or comments is only recognised if
 * the prefix reaches its root element (an 8 KiB prefix does for real files; 64 bytes does not).
 */
@Component
public class ContentSniffer {

    private final MimeTypes mimeTypes;

    public ContentSniffer() {
        // built once and shared: MimeTypes keeps no per-call state, so detection is thread-safe
        this.mimeTypes = MimeTypes.getDefaultMimeTypes();
    }

    /**
     * The media type of these bytes, lower case and without parameters (an EXE is
     * {@code application/x-msdownload}), {@value MediaTypes#OCTET_STREAM} when Tika does not know
     * them, {@value MediaTypes#EMPTY} for no bytes at all (so an empty object is told apart from
     * unknown bytes in the books and metrics).
     */
    public String detect(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length == 0) {
            return MediaTypes.EMPTY;
        }
        try {
            MediaType type = mimeTypes.detect(new ByteArrayInputStream(prefix), new Metadata());
            String name = type == null ? "" : MediaTypes.normalize(type.toString());
            return name.isEmpty() ? MediaTypes.OCTET_STREAM : name;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array failed", e);
        }
    }
}
