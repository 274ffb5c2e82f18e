package io.uploadguard.launcher.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client side of UploadGuard as an app would do it: sign, PUT with the returned headers (or the
 * parts of a multipart grant, then complete), follow.
 */
public final class SignerClient {

    public record Reply(int status, JsonNode body) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String signerUrl;

    public SignerClient(String signerUrl) {
        this.signerUrl = signerUrl;
    }

    public Reply sign(String token, String profile, String contentType, long size, String filename) {
        return sign(token, profile, contentType, size, filename, null);
    }

    /** With the backend's own reference, echoed in every notification about the upload. */
    public Reply sign(
            String token, String profile, String contentType, long size, String filename, String clientReference) {
        var body = JSON.createObjectNode()
                .put("profile", profile)
                .put("contentType", contentType)
                .put("size", size);
        if (filename != null) {
            body.put("filename", filename);
        }
        if (clientReference != null) {
            body.put("clientReference", clientReference);
        }
        return post(token, "/uploads", body);
    }

    /** PUTs to the signed URL with exactly the returned headers; answers S3's status. */
    public int put(JsonNode ticket, byte[] bytes) {
        return put(ticket.get("url").asString(), ticket.get("method").asString(), ticket.get("headers"), bytes);
    }

    /**
     * Uploads {@code file} as a multipart grant plans it, then has the signer complete it: each part
     * PUT to its URL with its headers, the next part URLs asked for page by page (the first page's
     * length). One part at a time: this is a shell tool; the browser client sends parts in parallel.
     *
     * @return the completion's reply, or the first part storage refused (status and a message)
     */
    public Reply uploadParts(String token, JsonNode grant, Path file) {
        String uploadId = grant.get("uploadId").asString();
        long partSize = grant.get("partSize").asLong();
        int partCount = grant.get("partCount").asInt();
        if (partSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("parts of " + partSize + " bytes do not fit in memory here");
        }
        JsonNode parts = grant.get("parts");
        int pageLength = parts.size();
        int uploaded = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                for (JsonNode part : parts) {
                    int number = part.get("partNumber").asInt();
                    int status = put(
                            part.get("url").asString(), "PUT", part.get("headers"), read(channel, number, partSize));
                    if (status != 200) {
                        return new Reply(
                                status,
                                JSON.createObjectNode()
                                        .put("error", "part_refused")
                                        .put("message", "storage answered HTTP " + status + " for part " + number));
                    }
                    uploaded++;
                }
                if (uploaded >= partCount) {
                    break;
                }
                var numbers = JSON.createObjectNode().putArray("partNumbers");
                for (int n = uploaded + 1; n <= Math.min(partCount, uploaded + pageLength); n++) {
                    numbers.add(n);
                }
                Reply page = post(
                        token,
                        "/uploads/" + uploadId + "/parts",
                        JSON.createObjectNode().set("partNumbers", numbers));
                if (page.status() != 200) {
                    return page;
                }
                parts = page.body().get("parts");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return post(token, "/uploads/" + uploadId + "/complete", null);
    }

    private static byte[] read(FileChannel channel, int partNumber, long partSize) throws IOException {
        long offset = (partNumber - 1) * partSize;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(partSize, channel.size() - offset));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("the file is shorter than signed");
            }
        }
        return buffer.array();
    }

    private int put(String url, String method, JsonNode headers, byte[] bytes) {
        var request =
                HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            request.header(header.getKey(), header.getValue().asString());
        }
        return send(request.build()).statusCode();
    }

    private Reply post(String token, String path, JsonNode body) {
        return json(HttpRequest.newBuilder(URI.create(signerUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    public Reply status(String token, String uploadId) {
        return json(HttpRequest.newBuilder(URI.create(signerUrl + "/uploads/" + uploadId))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    /** Polls until the upload has a verdict (leaves "reserved" and "scan_pending"), for at most {@code timeout}. */
    /** Reserved, or held by the enforcer until the malware scanner answers: no verdict yet. */
    public static boolean awaitsVerdict(String status) {
        return "reserved".equals(status) || "scan_pending".equals(status);
    }

    public JsonNode awaitVerdict(String token, String uploadId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Reply reply = status(token, uploadId);
            if (reply.status() != 200) {
                throw new IllegalStateException(
                        "status of " + uploadId + " answered " + reply.status() + ": " + reply.body());
            }
            if (!awaitsVerdict(reply.body().get("status").asString())
                    || Instant.now().isAfter(deadline)) {
                return reply.body();
            }
            try {
                Thread.sleep(250); // polling a remote service for a person, not synchronising a test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return reply.body();
            }
        }
    }

    /** GETs any of the pipeline's JSON endpoints with a bearer token (the enforcer's admin API too). */
    public Reply get(String url, String token, Duration timeout) {
        return json(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .timeout(timeout)
                .GET()
                .build());
    }

    /** GETs a JSON endpoint that takes no token (the local webhook receiver's {@code /events}). */
    public Reply get(String url) {
        return json(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    }

    public String scrape(String serviceUrl) {
        return send(HttpRequest.newBuilder(URI.create(serviceUrl + "/actuator/prometheus"))
                        .GET()
                        .build())
                .body();
    }

    private Reply json(HttpRequest request) {
        HttpResponse<String> response = send(request);
        JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Reply(response.statusCode(), body);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot reach " + request.uri().getHost() + ":"
                            + request.uri().getPort() + " (is ./run-local running?)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
