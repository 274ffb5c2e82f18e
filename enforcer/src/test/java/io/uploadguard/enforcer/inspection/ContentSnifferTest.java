package io.uploadguard.enforcer.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Tika 3.3.2 names real file headers, and whether they pass as the type a client would declare.
 * The prefixes are what the enforcer reads: the first bytes of the file, at most 8 KiB.
 */
class ContentSnifferTest {

    private static final int PREFIX = 8 * 1024;

    private final ContentSniffer sniffer = new ContentSniffer();

    // a complete 1x1 PNG
    static final byte[] PNG = hex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
            + "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082");
    static final byte[] JPEG_JFIF =
            hex("ffd8ffe000104a46494600010101004800480000ffdb004300080606070605080707" + "07090908");
    static final byte[] JPEG_EXIF = hex("ffd8ffe1001845786966000049492a00080000000000000000000000ffdb0043");
    static final byte[] WEBP_LOSSY = concat(
            ascii("RIFF"),
            hex("24000000"),
            ascii("WEBPVP8 "),
            hex("1800003001009d012a0100010002003425a400037000fefb94000000"));
    static final byte[] WEBP_LOSSLESS =
            concat(ascii("RIFF"), hex("1a000000"), ascii("WEBPVP8L"), hex("0d0000002f0000001007101111888808"));
    // complete 1x1 GIFs
    static final byte[] GIF87A =
            concat(ascii("GIF87a"), hex("01000100800000ffffff0000002c00000000010001000002024401003b"));
    static final byte[] GIF89A =
            concat(ascii("GIF89a"), hex("01000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"));
    static final byte[] PDF = ascii(
            "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                    + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\nxref\n0 3\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
    static final byte[] HTML_DOCTYPE = ascii("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
            + "<title>avatar</title></head>\n<body><p>not an image</p></body>\n</html>\n");
    static final byte[] HTML_SCRIPT =
            ascii("<html><script>fetch('/api/me').then(r => r.text()).then(alert)</script></html>");
    static final byte[] SVG = ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\">"
            + "<script>alert(document.domain)</script><circle cx=\"32\" cy=\"32\" r=\"30\"/></svg>\n");
    /** An SVG as editors write it: prolog, comments and a DOCTYPE before the root element. */
    static final byte[] SVG_WITH_PROLOG = ascii("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
            + "<!-- Created with Inkscape (http://www.inkscape.org/) -->\n"
            + "<!-- " + "licence text and generator notes ".repeat(40) + "-->\n"
            + "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" version=\"1.1\">\n"
            + "<script type=\"text/javascript\">alert(document.cookie)</script>\n"
            + "<rect width=\"64\" height=\"64\"/>\n</svg>\n");

    static final byte[] EXE = exe();
    static final byte[] ZIP = concat(
            hex("504b0304140000000800"), hex("0000210000000000000000000000000000000500"), ascii("a.txt"), new byte[40]);
    /** Valid GIF header that is also valid JavaScript: {@code GIF89a=1;alert(1)//...}. */
    static final byte[] GIF_JS_POLYGLOT = concat(
            ascii("GIF89a=1;alert(document.domain)//"),
            hex("800000ffffff00000021f90401000000002c00000000010001000002024401003b"));

    static final byte[] PNG_TRUNCATED = Arrays.copyOf(PNG, 4);
    static final byte[] PLAIN_TEXT =
            "Meeting notes \u2013 \u00fcber alles\nsecond line\n".getBytes(StandardCharsets.UTF_8);

    static Stream<Arguments> samples() {
        return Stream.of(
                // name, bytes, detected, declared, sameFamily(declared, detected)
                Arguments.of("PNG", PNG, "image/png", "image/png", true),
                Arguments.of("PNG as image/x-png", PNG, "image/png", "image/x-png", true),
                Arguments.of("JPEG JFIF", JPEG_JFIF, "image/jpeg", "image/jpeg", true),
                Arguments.of("JPEG EXIF", JPEG_EXIF, "image/jpeg", "image/jpeg", true),
                Arguments.of("JPEG as image/pjpeg", JPEG_JFIF, "image/jpeg", "image/pjpeg", true),
                Arguments.of("JPEG as image/jpg", JPEG_EXIF, "image/jpeg", "image/jpg", true),
                Arguments.of("JPEG as image/png", JPEG_JFIF, "image/jpeg", "image/png", false),
                Arguments.of("WEBP lossy", WEBP_LOSSY, "image/webp", "image/webp", true),
                Arguments.of("WEBP lossless", WEBP_LOSSLESS, "image/webp", "image/webp", true),
                Arguments.of("GIF87a", GIF87A, "image/gif", "image/gif", true),
                Arguments.of("GIF89a", GIF89A, "image/gif", "image/gif", true),
                Arguments.of("PDF", PDF, "application/pdf", "application/pdf", true),
                Arguments.of("PDF as application/x-pdf", PDF, "application/pdf", "application/x-pdf", true),
                Arguments.of("HTML doctype as image/png", HTML_DOCTYPE, "text/html", "image/png", false),
                Arguments.of("HTML doctype as text/plain", HTML_DOCTYPE, "text/html", "text/plain", false),
                Arguments.of("HTML script as image/jpeg", HTML_SCRIPT, "text/html", "image/jpeg", false),
                Arguments.of("SVG as image/png", SVG, "image/svg+xml", "image/png", false),
                Arguments.of("SVG with prolog as image/png", SVG_WITH_PROLOG, "image/svg+xml", "image/png", false),
                Arguments.of("EXE as application/pdf", EXE, "application/x-msdownload", "application/pdf", false),
                Arguments.of("ZIP as image/png", ZIP, "application/zip", "image/png", false),
                // known limit of magic numbers: the polyglot IS a GIF, so it passes as one; it does not
                // pass as anything else, and it is served as image/gif, which browsers do not run
                Arguments.of("GIF/JS polyglot as image/gif", GIF_JS_POLYGLOT, "image/gif", "image/gif", true),
                Arguments.of(
                        "GIF/JS polyglot as text/javascript", GIF_JS_POLYGLOT, "image/gif", "text/javascript", false),
                Arguments.of("truncated PNG", PNG_TRUNCATED, "application/octet-stream", "image/png", false),
                Arguments.of("empty", new byte[0], "application/x-empty", "image/png", false),
                Arguments.of("plain text", PLAIN_TEXT, "text/plain", "text/plain", true),
                Arguments.of("plain text as image/png", PLAIN_TEXT, "text/plain", "image/png", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void detectsFromBytesAndComparesFamilies(
            String name, byte[] bytes, String detected, String declared, boolean sameFamily) {
        assertThat(bytes.length).isLessThanOrEqualTo(PREFIX);

        String type = sniffer.detect(bytes);

        assertThat(type).isEqualTo(detected);
        assertThat(MediaTypes.sameFamily(declared, type)).isEqualTo(sameFamily);
    }

    @Test
    void activeContentIsRecognisedAsSuch() {
        assertThat(Stream.of(HTML_DOCTYPE, HTML_SCRIPT, SVG, SVG_WITH_PROLOG, EXE)
                        .map(sniffer::detect))
                .allMatch(MediaTypes::isActiveContent);
        assertThat(Stream.of(PNG, JPEG_JFIF, WEBP_LOSSY, GIF89A, GIF_JS_POLYGLOT, PDF, ZIP, PLAIN_TEXT)
                        .map(sniffer::detect))
                .noneMatch(MediaTypes::isActiveContent);
    }

    @Test
    void svgWithAPrologNeedsMoreThanSixtyFourBytes() {
        assertThat(SVG_WITH_PROLOG.length).isGreaterThan(1024);

        assertThat(sniffer.detect(Arrays.copyOf(SVG_WITH_PROLOG, 64))).isEqualTo("text/plain");
        assertThat(sniffer.detect(SVG_WITH_PROLOG)).isEqualTo("image/svg+xml");
    }

    @Test
    void theDeclaredTypeIsNeverAHint() {
        // the bytes alone decide: a name or a declared type would let the uploader steer Tika
        assertThat(sniffer.detect(HTML_SCRIPT)).isEqualTo("text/html");
        assertThat(sniffer.detect(concat(PNG, HTML_SCRIPT))).isEqualTo("image/png");
    }

    @Test
    void executablesLoseTheirFormatParameter() {
        assertThat(sniffer.detect(EXE)).isEqualTo("application/x-msdownload").doesNotContain(";");
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> sniffer.detect(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void randomBytesGiveANormalizedTypeAndNeverThrow() {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] bytes = new byte[1 + random.nextInt(PREFIX)];
            random.nextBytes(bytes);

            String type = sniffer.detect(bytes);

            assertThat(type).isEqualTo(MediaTypes.normalize(type)).contains("/");
        }
    }

    @Test
    void oneSnifferServesManyThreads() throws Exception {
        Map<byte[], String> expected = Map.of(
                PNG,
                "image/png",
                JPEG_EXIF,
                "image/jpeg",
                SVG_WITH_PROLOG,
                "image/svg+xml",
                HTML_DOCTYPE,
                "text/html",
                EXE,
                "application/x-msdownload",
                PDF,
                "application/pdf",
                ZIP,
                "application/zip",
                GIF87A,
                "image/gif");
        List<byte[]> inputs = new ArrayList<>(expected.keySet());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] input = inputs.get((i + offset) % inputs.size());
                        if (!expected.get(input).equals(sniffer.detect(input))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The headers of a Windows PE executable: MZ, the DOS stub, e_lfanew = 0x80, then "PE\0\0" and an i386 COFF header. */
    private static byte[] exe() {
        byte[] exe = new byte[1024];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3c] = (byte) 0x80;
        byte[] stub = ascii("This program cannot be run in DOS mode.\r\r\n$");
        System.arraycopy(stub, 0, exe, 0x4e, stub.length);
        byte[] pe = hex("504500004c010300");
        System.arraycopy(pe, 0, exe, 0x80, pe.length);
        return exe;
    }
}
