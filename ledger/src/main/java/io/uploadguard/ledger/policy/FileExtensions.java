package io.uploadguard.ledger.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The file extension a key gets from its declared content type. Only for the eye of whoever lists
 * the bucket: nothing decides on it.
 *
 * <p>Types that a browser or a CDN going by the extension would run as active content (HTML, SVG,
 * XML, JavaScript) get none on purpose.
 */
final class FileExtensions {

    private static final Map<String, String> BY_TYPE = Map.ofEntries(
            Map.entry("image/png", "png"),
            Map.entry("image/jpeg", "jpg"),
            Map.entry("image/webp", "webp"),
            Map.entry("image/gif", "gif"),
            Map.entry("image/avif", "avif"),
            Map.entry("image/heic", "heic"),
            Map.entry("image/bmp", "bmp"),
            Map.entry("image/tiff", "tiff"),
            Map.entry("application/pdf", "pdf"),
            Map.entry("application/zip", "zip"),
            Map.entry("application/json", "json"),
            Map.entry("text/plain", "txt"),
            Map.entry("text/csv", "csv"),
            Map.entry("audio/mpeg", "mp3"),
            Map.entry("audio/ogg", "ogg"),
            Map.entry("video/mp4", "mp4"),
            Map.entry("video/webm", "webm"),
            Map.entry("video/quicktime", "mov"));

    private FileExtensions() {}

    /** The extension, without the dot, for a content type such as {@code image/png; q=1}. */
    static Optional<String> forContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters))
                .strip()
                .toLowerCase(Locale.ROOT);
        return Optional.ofNullable(BY_TYPE.get(type));
    }
}
