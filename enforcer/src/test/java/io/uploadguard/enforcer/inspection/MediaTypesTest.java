package io.uploadguard.enforcer.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "image/png|image/png",
                "IMAGE/PNG|image/png",
                "  Image/Png ; charset=binary |image/png",
                "text/plain; charset=UTF-8|text/plain",
                "application/x-msdownload; format=pe32|application/x-msdownload",
            })
    void normalize(String type, String normalized) {
        assertThat(MediaTypes.normalize(type)).isEqualTo(normalized);
    }

    @Test
    void normalizeOfNothingIsEmpty() {
        assertThat(MediaTypes.normalize(null)).isEmpty();
        assertThat(MediaTypes.normalize("  ")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "image/jpeg|image/jpeg",
                "image/pjpeg|image/jpeg",
                "image/jpg|image/jpeg",
                "IMAGE/JPEG; q=1|image/jpeg",
                "image/png|image/png",
                "image/x-png|image/png",
                "application/pdf|application/pdf",
                "application/x-pdf|application/pdf",
                "image/webp|image/webp",
                "image/gif|image/gif",
                "text/plain|text/plain",
                "text/plain; charset=utf-8|text/plain",
                "image/svg+xml|image/svg+xml",
                "application/octet-stream|application/octet-stream",
                // a sub-class Tika knows of PDF is still a PDF
                "application/pdf|application/illustrator",
            })
    void sameFamily(String declared, String detected) {
        assertThat(MediaTypes.sameFamily(declared, detected)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "image/png|image/jpeg",
                "image/jpeg|image/png",
                "image/png|application/octet-stream",
                "image/jpeg|application/octet-stream",
                "application/pdf|application/octet-stream",
                "image/webp|application/octet-stream",
                "image/gif|application/x-empty",
                // HTML and every XML are sub-classes of text/plain in Tika's registry: not here
                "text/plain|text/html",
                "text/plain|image/svg+xml",
                "text/plain|application/xml",
                "text/plain|application/octet-stream",
                "application/xml|image/svg+xml",
                "application/octet-stream|application/x-msdownload",
                "application/zip|application/java-archive",
                "image/png|image/svg+xml",
                "image/svg+xml|text/plain",
                "application/pdf|application/zip",
                "image/png|text/html",
            })
    void notSameFamily(String declared, String detected) {
        assertThat(MediaTypes.sameFamily(declared, detected)).isFalse();
    }

    @Test
    void nothingIsNeverSameFamily() {
        assertThat(MediaTypes.sameFamily(null, "image/png")).isFalse();
        assertThat(MediaTypes.sameFamily("image/png", null)).isFalse();
        assertThat(MediaTypes.sameFamily("", "")).isFalse();
        assertThat(MediaTypes.sameFamily("not a type", "image/png")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/html",
                "TEXT/HTML; charset=utf-8",
                "application/xhtml+xml",
                "image/svg+xml",
                "application/xml",
                "text/xml",
                "application/rss+xml",
                "application/something-new+xml",
                "text/javascript",
                "application/javascript",
                "application/x-javascript",
                "text/ecmascript",
                "application/ecmascript",
                "application/x-msdownload",
                "application/x-msdownload; format=pe32",
                "application/x-dosexec",
                "application/x-executable",
                "application/x-sharedlib",
                "application/x-mach-o-executable",
                "application/x-mach-o-dylib",
                "application/x-shockwave-flash",
            })
    void activeContent(String type) {
        assertThat(MediaTypes.isActiveContent(type)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "image/png",
                "image/jpeg",
                "image/gif",
                "image/webp",
                "application/pdf",
                "application/zip",
                "application/java-archive",
                "application/gzip",
                "text/plain",
                "application/octet-stream",
                "application/x-empty",
                "application/json",
                "application/manifest+json",
                "",
            })
    void notActiveContent(String type) {
        assertThat(MediaTypes.isActiveContent(type)).isFalse();
    }

    @Test
    void nullIsNotActiveContent() {
        assertThat(MediaTypes.isActiveContent(null)).isFalse();
    }
}
