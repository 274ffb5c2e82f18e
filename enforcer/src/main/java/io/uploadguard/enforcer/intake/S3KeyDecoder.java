package io.uploadguard.enforcer.intake;

import static io.uploadguard.enforcer.intake.MalformedEventException.quote;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;

/** The strict decoder of the object keys in S3 events (both routes encode them the same way). */
final class S3KeyDecoder {

    /** S3 refuses longer keys, so a longer one did not come from S3. */
    static final int MAX_KEY_UTF8_BYTES = 1024;

    private S3KeyDecoder() {}

    /**
     * Decodes an event's key the way S3 encoded it, like an HTML form
     * ({@code application/x-www-form-urlencoded}): {@code +} is a space, {@code %XX} a byte of the key's
     * UTF-8. On well-formed input this gives what {@link S3Object#getUrlDecodedKey()} gives (it calls
     * {@link java.net.URLDecoder}, which is exactly that decoding, not the URI path one); unlike
     * URLDecoder it refuses bytes that are not UTF-8 instead of turning them into U+FFFD, since that
     * would point the enforcer at another key than the one written.
     */
    static String decode(String raw, String where) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int c = raw.codePointAt(i);
            if (c == '+') {
                bytes.write(' ');
                i++;
            } else if (c == '%') {
                if (i + 2 >= raw.length()
                        || !HexFormat.isHexDigit(raw.charAt(i + 1))
                        || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                    throw new MalformedEventException(where + ": key has a broken %-escape: " + quote(raw));
                }
                bytes.write(HexFormat.fromHexDigit(raw.charAt(i + 1)) << 4 | HexFormat.fromHexDigit(raw.charAt(i + 2)));
                i += 3;
            } else if (c <= 0xFFFF && Character.isSurrogate((char) c)) {
                throw new MalformedEventException(where + ": key has a lone surrogate");
            } else {
                byte[] utf8 = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(c);
            }
        }
        if (bytes.size() > MAX_KEY_UTF8_BYTES) {
            throw new MalformedEventException(where + ": key longer than S3 allows: " + quote(raw));
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEventException(where + ": key is not UTF-8 once decoded: " + quote(raw));
        }
    }
}
