package io.uploadguard.ledger.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {

    /** A readable part that neither starts nor ends with '-' or '.', then 16 hex digits of the hash. */
    private static final Pattern SEGMENT = Pattern.compile("(?:[a-z0-9_](?:[a-z0-9._-]*[a-z0-9_])?-)?[0-9a-f]{16}");

    private static final Pattern RANDOM_NAME = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final KeyLayout layout = KeyLayout.DEFAULT;

    @Test
    void plainIdStaysReadableFollowedByItsHash() {
        // SHA-256("alice") starts with 2bd806c97f0e00af
        assertThat(KeyLayout.userSegment("alice")).isEqualTo("alice-2bd806c97f0e00af");
        assertThat(KeyLayout.userSegment("Alice@Example.com")).startsWith("alice-example.com-");
    }

    @Test
    void slashesBecomeDashes() {
        String segment = KeyLayout.userSegment("team/alice//bob");
        assertThat(segment).startsWith("team-alice-bob-").doesNotContain("/");
        assertSafe(segment);
    }

    @Test
    void dotDotNeverSurvives() {
        assertThat(KeyLayout.userSegment("../../etc/passwd")).startsWith("etc-passwd-");
        assertThat(KeyLayout.userSegment("a..b...c")).startsWith("a.b.c-");
        assertThat(KeyLayout.userSegment("..")).matches("[0-9a-f]{16}");
    }

    @Test
    void controlCharactersBecomeDashes() {
        String segment = KeyLayout.userSegment("ali\u0000ce\n\r\tbob\u007f");
        assertThat(segment).startsWith("ali-ce-bob-");
        assertSafe(segment);
    }

    @Test
    void unicodeBecomesDashesButIdsStayApart() {
        String zoe = KeyLayout.userSegment("Zoë Ñandú");
        assertThat(zoe).startsWith("zo-and-");
        assertSafe(zoe);
        assertThat(KeyLayout.userSegment("zoé")).isNotEqualTo(KeyLayout.userSegment("zoè"));
        assertSafe(KeyLayout.userSegment("😀 emoji 😀"));
    }

    @Test
    void longIdIsCutToThirtyTwoReadableCharacters() {
        String segment = KeyLayout.userSegment("x".repeat(1024));
        assertThat(segment).isEqualTo("x".repeat(32) + "-" + segment.substring(33));
        assertThat(segment).hasSize(32 + 1 + 16);
        assertThat(KeyLayout.userSegment("x".repeat(1024))).isNotEqualTo(KeyLayout.userSegment("x".repeat(1023)));
    }

    @Test
    void cutDoesNotLeaveATrailingSeparator() {
        String segment = KeyLayout.userSegment("a".repeat(31) + "-bcdef");
        assertThat(segment).startsWith("a".repeat(31) + "-").matches(SEGMENT);
    }

    @Test
    void idWithNothingReadableGetsTheHashAlone() {
        assertThat(KeyLayout.userSegment("///")).matches("[0-9a-f]{16}");
        assertThat(KeyLayout.userSegment("")).matches("[0-9a-f]{16}");
        assertThat(KeyLayout.userSegment("日本語")).matches("[0-9a-f]{16}");
        assertThat(KeyLayout.userSegment("///")).isNotEqualTo(KeyLayout.userSegment("日本語"));
    }

    @Test
    void caseDoesNotMergeIds() {
        assertThat(KeyLayout.userSegment("Alice")).isNotEqualTo(KeyLayout.userSegment("alice"));
    }

    @Test
    void anyIdGivesASafeSegment() {
        Random random = new Random(42);
        String alphabet = "aZ09._-/\\ \u0000\n.:%?#*\u00e9\u4e2d\ud83d\ude00";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertSafe(KeyLayout.userSegment(id.toString()));
        }
    }

    @Test
    void newKeyHasTheDocumentedShape() {
        String key = layout.newIncomingKey("team/alice", "image/png");
        String segment = KeyLayout.userSegment("team/alice");
        assertThat(key).startsWith("incoming/" + segment + "/").endsWith(".png");
        String name = key.substring(("incoming/" + segment + "/").length(), key.length() - ".png".length());
        assertThat(name).matches(RANDOM_NAME);
        assertThat(layout.isIncoming(key)).isTrue();
        assertThat(layout.userSegmentOf(key)).contains(segment);
    }

    @Test
    void newKeysDoNotRepeat() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(layout.newIncomingKey("alice", "image/png"));
        }
        assertThat(keys).hasSize(10_000);
    }

    @Test
    void extensionComesFromTheContentType() {
        assertThat(layout.newIncomingKey("u", "image/jpeg")).endsWith(".jpg");
        assertThat(layout.newIncomingKey("u", "image/webp")).endsWith(".webp");
        assertThat(layout.newIncomingKey("u", "image/gif")).endsWith(".gif");
        assertThat(layout.newIncomingKey("u", "application/pdf")).endsWith(".pdf");
        assertThat(layout.newIncomingKey("u", "text/plain; charset=utf-8")).endsWith(".txt");
        assertThat(layout.newIncomingKey("u", "IMAGE/PNG")).endsWith(".png");
    }

    @Test
    void unknownOrActiveContentTypesGetNoExtension() {
        for (String type : new String[] {
            "application/octet-stream", "text/html", "image/svg+xml", "application/javascript", "nonsense", "", null
        }) {
            String key = layout.newIncomingKey("u", type);
            String name = key.substring(key.lastIndexOf('/') + 1);
            assertThat(name).as("key for %s", type).matches(RANDOM_NAME);
        }
    }

    @Test
    void servedAndQuarantineKeysKeepThePathUnderAnotherPrefix() {
        String key = layout.newIncomingKey("alice", "image/png");
        String path = key.substring("incoming/".length());
        assertThat(layout.servedKey(key)).isEqualTo("served/" + path);
        assertThat(layout.quarantineKey(key)).isEqualTo("quarantine/" + path);
        assertThat(layout.servedKey(key)).isEqualTo(layout.servedKey(key));
        assertThat(layout.isIncoming(layout.servedKey(key))).isFalse();
        assertThat(layout.userSegmentOf(layout.servedKey(key))).contains(KeyLayout.userSegment("alice"));
        assertThat(layout.userSegmentOf(layout.quarantineKey(key))).contains(KeyLayout.userSegment("alice"));
    }

    @Test
    void onlyIncomingKeysMapToServedOrQuarantine() {
        assertThatThrownBy(() -> layout.servedKey("served/a/b.png")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.quarantineKey("elsewhere/a/b.png"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysWithoutASegmentHaveNone() {
        assertThat(layout.userSegmentOf("incoming/no-slash.png")).isEmpty();
        assertThat(layout.userSegmentOf("incoming//x.png")).isEmpty();
        assertThat(layout.userSegmentOf("incoming/alice/")).isEmpty();
        assertThat(layout.userSegmentOf("elsewhere/alice/x.png")).isEmpty();
        assertThat(layout.userSegmentOf(null)).isEmpty();
    }

    @Test
    void customPrefixesAreUsed() {
        KeyLayout custom = new KeyLayout("in/", "out/", "jail/");
        String key = custom.newIncomingKey("bob", "application/pdf");
        assertThat(key).startsWith("in/" + KeyLayout.userSegment("bob") + "/").endsWith(".pdf");
        assertThat(custom.quarantineKey(key)).startsWith("jail/");
    }

    @Test
    void prefixesThatCouldBeConfusedAreRefused() {
        assertThatThrownBy(() -> new KeyLayout("up/", "up/served/", "quarantine/"))
                .hasMessageContaining("must differ and not contain one another");
        assertThatThrownBy(() -> new KeyLayout("x/", "x/", "quarantine/")).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new KeyLayout("incoming", "served/", "quarantine/"))
                .hasMessageContaining("incoming-prefix");
        assertThatThrownBy(() -> new KeyLayout("", "served/", "quarantine/")).hasMessageContaining("incoming-prefix");
        assertThatThrownBy(() -> new KeyLayout("incoming/", "../served/", "quarantine/"))
                .hasMessageContaining("served-prefix");
    }

    private static void assertSafe(String segment) {
        assertThat(segment).matches(SEGMENT).doesNotContain("..").doesNotContain("/");
        assertThat(segment.length()).isLessThanOrEqualTo(32 + 1 + 16);
    }
}
