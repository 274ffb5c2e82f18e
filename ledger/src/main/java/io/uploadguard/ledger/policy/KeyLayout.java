package io.uploadguard.ledger.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where objects live in the bucket, bound from {@code uploadguard.layout.*}.
 *
 * <p>Keys are {@code <incoming-prefix><user-segment>/<random>[.<ext>]}. The served and quarantine
 * keys of an object are its incoming key under another prefix: deterministic, so an enforcer that
 * crashed halfway through moving an object can find where it had put it.
 */
@ConfigurationProperties("uploadguard.layout")
public record KeyLayout(
        @DefaultValue("incoming/") String incomingPrefix,
        @DefaultValue("served/") String servedPrefix,
        @DefaultValue("quarantine/") String quarantinePrefix) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
    private static final int RANDOM_BYTES = 16;
    private static final int MAX_READABLE_LENGTH = 32;
    private static final int HASH_HEX_CHARS = 16;

    public static final KeyLayout DEFAULT = new KeyLayout("incoming/", "served/", "quarantine/");

    public KeyLayout {
        requirePrefix("incoming-prefix", incomingPrefix);
        requirePrefix("served-prefix", servedPrefix);
        requirePrefix("quarantine-prefix", quarantinePrefix);
        List<String> prefixes = List.of(incomingPrefix, servedPrefix, quarantinePrefix);
        for (int i = 0; i < prefixes.size(); i++) {
            for (int j = 0; j < prefixes.size(); j++) {
                // nested prefixes would make a served object look incoming, and the other way round
                if (i != j && prefixes.get(j).startsWith(prefixes.get(i))) {
                    throw new IllegalArgumentException("layout prefixes must differ and not contain one another: '"
                            + prefixes.get(i) + "' and '" + prefixes.get(j) + "'");
                }
            }
        }
    }

    /** A fresh key for an upload by this user of this content type. */
    public String newIncomingKey(String userId, String contentType) {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        String extension =
                FileExtensions.forContentType(contentType).map(ext -> "." + ext).orElse("");
        return incomingPrefix + userSegment(userId) + "/" + URL_SAFE.encodeToString(random) + extension;
    }

    /**
     * The key segment of a user: a readable part cut from the id (lower case, only {@code [a-z0-9._-]},
     * never {@code ..}, at most 32 characters) followed by 16 hex characters of the id's SHA-256, so
     * two ids that read the same still get different segments. An id with nothing readable in it gets
     * the hash alone.
     */
    public static String userSegment(String userId) {
        Objects.requireNonNull(userId, "userId");
        String readable = readablePart(userId);
        String hash = sha256Hex(userId).substring(0, HASH_HEX_CHARS);
        return readable.isEmpty() ? hash : readable + "-" + hash;
    }

    public String servedKey(String incomingKey) {
        return servedPrefix + pathUnderIncoming(incomingKey);
    }

    public String quarantineKey(String incomingKey) {
        return quarantinePrefix + pathUnderIncoming(incomingKey);
    }

    public boolean isIncoming(String key) {
        return key != null && key.startsWith(incomingPrefix);
    }

    /** The user segment of an incoming, served or quarantine key, if the key has one. */
    public Optional<String> userSegmentOf(String key) {
        if (key == null) {
            return Optional.empty();
        }
        for (String prefix : List.of(incomingPrefix, servedPrefix, quarantinePrefix)) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int slash = rest.indexOf('/');
                return slash > 0 && slash < rest.length() - 1
                        ? Optional.of(rest.substring(0, slash))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private String pathUnderIncoming(String incomingKey) {
        if (!isIncoming(incomingKey)) {
            throw new IllegalArgumentException("not an incoming key (no '" + incomingPrefix + "'): " + incomingKey);
        }
        return incomingKey.substring(incomingPrefix.length());
    }

    private static String readablePart(String userId) {
        StringBuilder out = new StringBuilder();
        userId.toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
            char c = isSafe(cp) ? (char) cp : '-';
            // collapsing runs of '.' is what keeps ".." out
            boolean repeat = (c == '-' || c == '.') && !out.isEmpty() && out.charAt(out.length() - 1) == c;
            if (!repeat) {
                out.append(c);
            }
        });
        String readable = trimSeparators(out.toString());
        return readable.length() <= MAX_READABLE_LENGTH
                ? readable
                : trimSeparators(readable.substring(0, MAX_READABLE_LENGTH));
    }

    private static boolean isSafe(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '.' || cp == '_' || cp == '-';
    }

    private static String trimSeparators(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSeparator(s.charAt(start))) {
            start++;
        }
        while (end > start && isSeparator(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '.';
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void requirePrefix(String name, String prefix) {
        if (prefix == null
                || prefix.isBlank()
                || !prefix.endsWith("/")
                || prefix.startsWith("/")
                || prefix.contains("..")
                || prefix.contains("//")) {
            throw new IllegalArgumentException(
                    name + " must be a non-empty relative key prefix ending in '/', was '" + prefix + "'");
        }
    }
}
