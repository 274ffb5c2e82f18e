package io.uploadguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogSafeTest {

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r", "\u0000", "\u0085", "\u2028", "\u2029", "\u202e", "\u200b", "\u001b"})
    void whatCouldForgeOrReorderALogLineIsReplaced(String unsafe) {
        String quoted = LogSafe.escape("user" + unsafe + "FORGED");

        assertThat(quoted).isEqualTo("user?FORGED");
    }

    @Test
    void printableTextAndPairedSurrogatesStayAsTheyAre() {
        assertThat(LogSafe.escape("Zoë 🙂 a/b.png")).isEqualTo("Zoë 🙂 a/b.png");
    }

    @Test
    void aLoneSurrogateIsReplaced() {
        assertThat(LogSafe.escape("a\ud83db")).isEqualTo("a?b");
    }

    @Test
    void aQuoteIsCutWithAnEllipsisWithoutSplittingAPair() {
        assertThat(LogSafe.quote("x".repeat(150))).isEqualTo("x".repeat(100) + "...");
        assertThat(LogSafe.quote("ab🙂", 3)).isEqualTo("ab...");
        assertThat(LogSafe.escape("x".repeat(1500))).hasSize(1500);
        assertThat(LogSafe.quote(null)).isEqualTo("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\u0085b", "a\u2028b", "a\u2029b", "a\u000bb"})
    void lineBreaksOfEveryKindAreNotOneLine(String text) {
        assertThat(LogSafe.isOneLine(text)).isFalse();
    }

    @Test
    void ordinaryTextIsOneLine() {
        assertThat(LogSafe.isOneLine("spam, 3rd warning – see ticket #12")).isTrue();
    }
}
