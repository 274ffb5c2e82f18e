package io.uploadguard.launcher.cli;

import io.uploadguard.launcher.demo.Demo;
import io.uploadguard.launcher.run.LaunchException;
import io.uploadguard.launcher.run.LocalSettings;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./uploadguard}: the local pipeline from a shell. {@code upload FILE} signs, uploads with
 * the returned headers and waits for the verdict, as the upload page does; {@code status ID};
 * {@code demo} runs the whole story.
 */
public final class Cli {

    private Cli() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (LaunchException | IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (java.io.UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException(USAGE);
        }
        Path settingsFile =
                Path.of(System.getProperty("uploadguard.local-settings", LocalSettings.DEFAULT_FILE.toString()));
        switch (args[0]) {
            case "upload" -> {
                return upload(LocalSettings.readFrom(settingsFile), args);
            }
            case "status" -> {
                if (args.length != 2) {
                    throw new IllegalArgumentException(USAGE);
                }
                LocalSettings s = LocalSettings.readFrom(settingsFile);
                var reply = new SignerClient(s.signerUrl()).status(s.demoToken(), args[1]);
                System.out.println(reply.body().toPrettyString());
                return reply.status() == 200 ? 0 : 1;
            }
            case "demo" -> {
                return new Demo(LocalSettings.readFrom(settingsFile), System.out).run() ? 0 : 1;
            }
            default -> throw new IllegalArgumentException(USAGE);
        }
    }

    private static int upload(LocalSettings s, String[] args) {
        Path file = null;
        String profile = "avatar";
        String type = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profile = value(args, ++i);
                case "--type" -> type = value(args, ++i);
                default -> file = Path.of(args[i]);
            }
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file + "\n" + USAGE);
        }
        // like a browser, the declared type comes from the file name: that is what a liar controls
        String contentType = type != null
                ? type
                : URLConnection.guessContentTypeFromName(file.getFileName().toString());
        if (contentType == null) {
            contentType = "application/octet-stream";
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        var client = new SignerClient(s.signerUrl());
        var signed = client.sign(
                s.demoToken(),
                profile,
                contentType,
                bytes.length,
                file.getFileName().toString());
        System.out.println("sign: HTTP " + signed.status() + " " + signed.body());
        if (signed.status() != 201) {
            return 1;
        }
        JsonNode ticket = signed.body();
        int put = client.put(ticket, bytes);
        System.out.println("upload: storage answered HTTP " + put);
        if (put != 200) {
            return 1;
        }
        JsonNode verdict =
                client.awaitVerdict(s.demoToken(), ticket.get("uploadId").asString(), Duration.ofSeconds(60));
        System.out.println("verdict: " + verdict.toPrettyString());
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(USAGE);
        }
        return args[i];
    }

    private static final String USAGE = """
            usage: ./uploadguard upload FILE [--profile avatar|document] [--type CONTENT-TYPE]
                   ./uploadguard status UPLOAD-ID
                   ./uploadguard demo
            (start the pipeline first with ./run-local)""";
}
