package io.uploadguard.signer.multipart;

import java.util.Map;

/**
 * One part's presigned UploadPart URL: PUT exactly the part's bytes to {@code url} with {@code
 * headers} ({@code Host} and {@code Content-Length} left out: clients set them, the length is signed).
 */
public record PartUrl(int partNumber, String url, Map<String, String> headers) {}
