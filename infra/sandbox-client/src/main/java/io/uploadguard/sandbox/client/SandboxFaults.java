package io.uploadguard.sandbox.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The sandbox's fault injection, through its control endpoint: {@link #stop} takes a server away
 * ({@code s3}, {@code sqs} or {@code postgres}; clients see connections refused), {@link #start}
 * brings it back on the same port with its state. For fault tests and the soak.
 */
public final class SandboxFaults {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String controlEndpoint;

    public SandboxFaults(SandboxEndpoints endpoints) {
        this.controlEndpoint = endpoints.controlEndpoint();
    }

    public void stop(String part) {
        send(part, "stop");
    }

    /** Also when it runs already: then nothing changes. */
    public void start(String part) {
        send(part, "start");
    }

    private void send(String part, String action) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(controlEndpoint + "/faults/" + part + "/" + action))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the sandbox's control endpoint did not answer " + part + "/" + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the sandbox for " + part + "/" + action, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the sandbox's control endpoint answered " + response.statusCode() + " to "
                    + part + "/" + action + ": " + response.body());
        }
    }
}
