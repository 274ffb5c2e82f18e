package io.uploadguard.enforcer.inspection;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Media type families: whether the bytes Tika recognised are what a client declared, and whether
 * they are content a browser or an operating system would run.
 */
public final class MediaTypes {

    public static final String OCTET_STREAM = "application/octet-stream";
    /** What {@link ContentSniffer} calls an object with no bytes, which Tika would call octet-stream. */
    public static final String EMPTY = "application/x-empty";

    /** Tika's own knowledge of aliases (application/x-pdf is application/pdf) and sub-classes. */
    private static final MediaTypeRegistry REGISTRY =
            MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();

    /** Names clients still send for these formats that Tika 3.3.2 does not register as aliases. */
    private static final Map<String, String> EXTRA_ALIASES = Map.of(
            "image/pjpeg", "image/jpeg", // old Internet Explorer, for progressive JPEG
            "image/jpg", "image/jpeg",
            "image/x-png", "image/png"); // old Internet Explorer

    private static final MediaType HTML = MediaType.text("html");
    private static final MediaType XML = MediaType.APPLICATION_XML;
    private static final MediaType JAVASCRIPT = MediaType.text("javascript");
    private static final MediaType JSON = MediaType.application("json");
    private static final MediaType WINDOWS_EXECUTABLE = MediaType.application("x-msdownload");

    /** Executables and scripts outside the HTML, XML and JavaScript families. */
    private static final Set<String> OTHER_ACTIVE = Set.of(
            "text/ecmascript",
            "application/ecmascript",
            "application/x-ecmascript",
            "text/jscript",
            "application/x-dosexec",
            "application/x-executable",
            "application/x-sharedlib",
            "application/x-elf",
            "application/x-shockwave-flash",
            "application/hta");

    private MediaTypes() {}

    /** Lower case, without parameters or surrounding blanks; empty for null or blank. */
    public static String normalize(String type) {
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        String base = semicolon < 0 ? type : type.substring(0, semicolon);
        return base.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether bytes detected as {@code detected} are what {@code declared} says: the same type once
     * aliases are resolved ({@code image/jpg}, {@code image/pjpeg} and {@code image/jpeg} are one).
     *
     * <p>Sub-classes count only for raster images and PDF, where Tika's sub-classes are still the
     * same format to a viewer (application/illustrator is a PDF). Everything is a sub-class of
     * octet-stream and HTML is one of {@code text/plain} in Tika's registry, so {@code text/plain}
     * accepts only {@code text/plain}, and octet-stream detected never matches an image or a PDF.
     */
    public static boolean sameFamily(String declared, String detected) {
        String d = canonical(declared);
        String t = canonical(detected);
        if (d.isEmpty() || t.isEmpty()) {
            return false;
        }
        if (d.equals(t)) {
            return true;
        }
        if (!subClassesAreSameFormat(d) || isActiveContent(t)) {
            return false;
        }
        MediaType declaredType = MediaType.parse(d);
        MediaType detectedType = MediaType.parse(t);
        return declaredType != null && detectedType != null && REGISTRY.isSpecializationOf(detectedType, declaredType);
    }

    /**
     * Whether a browser would run it when served inline (HTML, XHTML, SVG and any XML, which can carry
     * script; JavaScript and ECMAScript; Flash), or an operating system would run it (Windows PE/DOS,
     * ELF and Mach-O executables and libraries). Archives are not active, nor are they images.
     */
    public static boolean isActiveContent(String detected) {
        String t = canonical(detected);
        if (t.isEmpty()) {
            return false;
        }
        if (OTHER_ACTIVE.contains(t) || t.startsWith("application/x-mach-o") || t.endsWith("+xml")) {
            return true;
        }
        MediaType type = MediaType.parse(t);
        return type != null
                && (REGISTRY.isInstanceOf(type, HTML)
                        || REGISTRY.isInstanceOf(type, XML)
                        // Tika files JSON under JavaScript; browsers do not run it
                        || (REGISTRY.isInstanceOf(type, JAVASCRIPT) && !REGISTRY.isInstanceOf(type, JSON))
                        || REGISTRY.isInstanceOf(type, WINDOWS_EXECUTABLE));
    }

    /** The normalized type with aliases resolved to the name Tika detects. */
    static String canonical(String type) {
        String n = normalize(type);
        n = EXTRA_ALIASES.getOrDefault(n, n);
        MediaType parsed = n.isEmpty() ? null : MediaType.parse(n);
        return parsed == null ? n : REGISTRY.normalize(parsed).getBaseType().toString();
    }

    private static boolean subClassesAreSameFormat(String declared) {
        return (declared.startsWith("image/") && !declared.endsWith("+xml")) || declared.equals("application/pdf");
    }
}
