package io.uploadguard.benchmarks.multipart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * UploadGuard's multipart API as a client sees it (docs: the multipart contract): the grant of
 * {@code POST /uploads}, pages of part URLs from {@code POST /uploads/{id}/parts}, completion and
 * abort. Field names are the contract's; anything else in an answer is ignored.
 */
final class SignerApi {

    record PartUrl(int partNumber, URI url, Map<String, String> headers) {}

    record Grant(
            String uploadId, String key, long partSize, int partCount, List<PartUrl> parts, Integer nextPartNumber) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI base;
    private final String token;

    SignerApi(HttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /** A multipart grant for {@code size} bytes; fails if the signer answers anything else. */
    Grant create(String profile, String contentType, long size, String filename) {
        var body = Map.of("profile", profile, "contentType", contentType, "size", size, "filename", filename);
        JsonNode grant = call("POST", "/uploads", JSON.writeValueAsString(body), 201);
        if (!"MULTIPART".equals(grant.path("method").asString())) {
            throw new IllegalStateException("not a multipart grant (is the profile's multipart-threshold set?): "
                    + grant.path("method").asString());
        }
        JsonNode next = grant.path("nextPartNumber");
        return new Grant(
                grant.path("uploadId").asString(),
                grant.path("key").asString(),
                grant.path("partSize").asLong(),
                grant.path("partCount").asInt(),
                partUrls(grant.path("parts")),
                next.isNumber() ? next.asInt() : null);
    }

    List<PartUrl> parts(String uploadId, List<Integer> partNumbers) {
        String body = JSON.writeValueAsString(Map.of("partNumbers", partNumbers));
        return partUrls(
                call("POST", "/uploads/" + uploadId + "/parts", body, 200).path("parts"));
    }

    void complete(String uploadId) {
        JsonNode done = call("POST", "/uploads/" + uploadId + "/complete", "", 200);
        if (!"COMPLETED".equals(done.path("state").asString())) {
            throw new IllegalStateException("completion answered state " + done.path("state"));
        }
    }

    void abort(String uploadId) {
        call("DELETE", "/uploads/" + uploadId, null, 200);
    }

    private static List<PartUrl> partUrls(JsonNode parts) {
        List<PartUrl> urls = new ArrayList<>();
        for (JsonNode part : parts) {
            Map<String, String> headers = new LinkedHashMap<>();
            part.path("headers")
                    .properties()
                    .forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
            urls.add(new PartUrl(
                    part.path("partNumber").asInt(), URI.create(part.path("url").asString()), headers));
        }
        return urls;
    }

    private JsonNode call(String method, String path, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
