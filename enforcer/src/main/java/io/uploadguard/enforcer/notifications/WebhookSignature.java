package io.uploadguard.enforcer.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: {@code v1,} and the base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under each secret, space-separated, so that receivers can verify with
 * the standardwebhooks libraries. Secrets are written {@code whsec_} and base64 of the key bytes.
 */
final class WebhookSignature {

    static final String SECRET_PREFIX = "whsec_";
    /** The spec asks for keys of 24 to 64 bytes. */
    private static final int MIN_KEY_BYTES = 24;

    private WebhookSignature() {}

    /**
     * The key bytes of a {@code whsec_} secret.
     *
     * @param property where it was configured, for the error (which never shows the secret)
     */
    static byte[] key(String secret, String property) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(property + ": a secret must start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": a secret must be " + SECRET_PREFIX + " and base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    property + ": a secret must hold at least " + MIN_KEY_BYTES + " bytes of key");
        }
        return key;
    }

    /** The {@code webhook-signature} header: one {@code v1,<base64>} per key. */
    static String header(String id, long timestamp, String body, List<byte[]> keys) {
        String signed = id + "." + timestamp + "." + body;
        return keys.stream().map(key -> "v1," + hmac(key, signed)).collect(Collectors.joining(" "));
    }

    private static String hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
