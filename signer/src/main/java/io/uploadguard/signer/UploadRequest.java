package io.uploadguard.signer;

import io.uploadguard.security.ApiException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What a client asks to upload. Parsed by hand rather than bound, so that every wrong shape gets
 * its own clear error instead of a generic binding failure (and so that {@code "size": "12"} or
 * {@code 1.5} are refused rather than coerced).
 *
 * @param checksumSha256 base64 of the SHA-256 of the bytes, or null
 * @param filename the client's name for the file, kept for people; never part of the key
 * @param clientReference the backend's own reference, opaque to us, echoed in notifications, or null
 * @param checksumAlgorithm {@code SHA256} when a multipart upload's parts will carry checksums, or
 *     null; a single PUT ignores it
 */
public record UploadRequest(
        String profile,
        String contentType,
        long size,
        String checksumSha256,
        String filename,
        String clientReference,
        String checksumAlgorithm) {

    private static final Set<String> FIELDS = Set.of(
            "profile", "contentType", "size", "checksumSha256", "filename", "clientReference", "checksumAlgorithm");
    private static final int MAX_FIELD_LENGTH = 255;
    static final int MAX_CLIENT_REFERENCE_LENGTH = 256;

    public static UploadRequest parse(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("malformed_request", "the request body is empty; send a JSON object");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed_request", "the request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("malformed_request", "the request body must be a JSON object");
        }
        for (Iterator<String> names = root.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest(
                        "malformed_request", "unknown field '" + printable(name) + "'; expected " + FIELDS);
            }
        }
        String profile = requiredText(root, "profile");
        String contentType = requiredText(root, "contentType");
        long size = size(root.get("size"));
        String checksum = optionalText(root, "checksumSha256");
        String filename = optionalText(root, "filename");
        String clientReference = clientReference(root.get("clientReference"));
        String checksumAlgorithm = optionalText(root, "checksumAlgorithm");
        if (checksumAlgorithm != null && !checksumAlgorithm.equals("SHA256")) {
            throw ApiException.badRequest("invalid_checksum_algorithm", "checksumAlgorithm must be SHA256 when given");
        }

        if (!isHeaderSafe(contentType)) {
            throw ApiException.badRequest(
                    "invalid_content_type", "contentType must be printable ASCII without control characters");
        }
        if (checksum != null && !isSha256Base64(checksum)) {
            throw ApiException.badRequest(
                    "invalid_checksum", "checksumSha256 must be the base64 encoding of a 32-byte SHA-256 digest");
        }
        if (filename != null && filename.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_filename", "filename must not contain control characters");
        }
        return new UploadRequest(profile, contentType, size, checksum, filename, clientReference, checksumAlgorithm);
    }

    /**
     * Opaque, but it reaches backends' logs and databases through notifications: one to 256
     * printable characters (code points), so no control characters, line or paragraph separators,
     * or lone surrogates.
     */
    private static String clientReference(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw ApiException.badRequest("invalid_client_reference", "clientReference must be a string");
        }
        String value = node.asString();
        long length = value.codePoints().count();
        if (length == 0 || length > MAX_CLIENT_REFERENCE_LENGTH) {
            throw ApiException.badRequest(
                    "invalid_client_reference",
                    "clientReference must be 1 to " + MAX_CLIENT_REFERENCE_LENGTH + " characters");
        }
        if (value.codePoints().anyMatch(UploadRequest::notPrintable)) {
            throw ApiException.badRequest(
                    "invalid_client_reference", "clientReference must contain printable characters only");
        }
        return value;
    }

    private static boolean notPrintable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }

    private static String requiredText(JsonNode root, String field) {
        String value = optionalText(root, field);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("malformed_request", field + " is required");
        }
        return value;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw ApiException.badRequest("malformed_request", field + " must be a string");
        }
        String value = node.asString();
        if (value.length() > MAX_FIELD_LENGTH) {
            throw ApiException.badRequest(
                    "malformed_request", field + " must be at most " + MAX_FIELD_LENGTH + " characters");
        }
        return value;
    }

    private static long size(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("invalid_size", "size is required: the exact number of bytes");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.badRequest("invalid_size", "size must be a whole number of bytes");
        }
        long size = node.asLong();
        if (size <= 0) {
            throw ApiException.badRequest("invalid_size", "size must be at least 1 byte");
        }
        return size;
    }

    /** Values that go into signed HTTP headers: visible ASCII and spaces only (no CR/LF injection). */
    static boolean isHeaderSafe(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** Whether {@code value} is the base64 of a 32-byte SHA-256 digest. */
    public static boolean isSha256Base64(String value) {
        try {
            return value.length() == 44 && Base64.getDecoder().decode(value).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
