package io.uploadguard.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A presigned PUT as a client gets it (URL plus the headers it must send) and a plain
 * {@code java.net.http} client to send it, the way a browser's {@code fetch} would.
 */
record PresignedPut(URI url, Map<String, String> headers) {

    /** The JDK client sets these itself and refuses to take them from us (so does a browser). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");

    static PresignedPut of(URI url, Map<String, List<String>> signedHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        signedHeaders.forEach((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, String.join(",", values));
            }
        });
        return new PresignedPut(url, headers);
    }

    PresignedPut withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((n, v) -> {
            if (!n.equalsIgnoreCase(name)) {
                copy.put(n, v);
            }
        });
        copy.put(name, value);
        return new PresignedPut(url, copy);
    }

    PresignedPut withoutHeader(String name) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(n -> n.equalsIgnoreCase(name));
        return new PresignedPut(url, copy);
    }

    PresignedPut withUrl(URI other) {
        return new PresignedPut(other, headers);
    }

    /**
     * Each PUT on a connection of its own: S3 (and S3Proxy) may refuse a tampered PUT before reading
     * its body and then close the connection, which a pooled connection would only show to the next
     * request as a response with no bytes ("header parser received no bytes").
     */
    HttpResponse<String> send(byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
