package io.uploadguard.launcher.cli;

import io.uploadguard.launcher.demo.Demo;
import io.uploadguard.launcher.run.LaunchException;
import io.uploadguard.launcher.run.LocalSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./uploadguard}: the local pipeline from a shell. {@code upload FILE} signs, uploads with
 * the returned headers and waits for the verdict, as the upload page does; {@code status ID};
 * {@code demo} runs the whole story.
 */
@Command(
        name = "uploadguard",
        mixinStandardHelpOptions = true,
        version = "UploadGuard command-line client",
        description = "The pipeline that ./run-local runs, from a shell.",
        footer = "Settings come from work/local.json, which ./run-local writes.",
        subcommands = {Cli.Upload.class, Cli.Status.class, Cli.RunDemo.class})
public final class Cli implements Callable<Integer> {

    /** Exit status for a bad command line or a pipeline that is not there, as before picocli. */
    private static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return new CommandLine(new Cli())
                .setExecutionExceptionHandler((e, cli, parsed) -> {
                    if (e instanceof LaunchException
                            || e instanceof IllegalArgumentException
                            || e instanceof IllegalStateException
                            || e instanceof UncheckedIOException) {
                        cli.getErr().println(e.getMessage());
                        return USAGE_ERROR;
                    }
                    throw e;
                })
                .execute(args);
    }

    /** No subcommand: say which there are. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return USAGE_ERROR;
    }

    private static LocalSettings settings() {
        return LocalSettings.readFrom(
                Path.of(System.getProperty("uploadguard.local-settings", LocalSettings.DEFAULT_FILE.toString())));
    }

    @Command(
            name = "upload",
            mixinStandardHelpOptions = true,
            description = "Signs, uploads FILE with the returned headers (in parts, for a multipart grant)"
                    + " and waits for the verdict.")
    static final class Upload implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "the file to upload")
        Path file;

        @Option(
                names = "--profile",
                paramLabel = "avatar|document|video",
                description = "upload profile (${DEFAULT-VALUE})")
        String profile = "avatar";

        @Option(
                names = "--type",
                paramLabel = "CONTENT-TYPE",
                description = "declared type (default: guessed from the file name, as a browser does)")
        String type;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
            LocalSettings s = settings();
            // like a browser, the declared type comes from the file name: that is what a liar controls
            String contentType = type != null
                    ? type
                    : URLConnection.guessContentTypeFromName(file.getFileName().toString());
            if (contentType == null) {
                contentType = "application/octet-stream";
            }
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            var client = new SignerClient(s.signerUrl());
            var signed = client.sign(
                    s.demoToken(),
                    profile,
                    contentType,
                    size,
                    file.getFileName().toString());
            System.out.println("sign: HTTP " + signed.status() + " " + signed.body());
            if (signed.status() != 201) {
                return 1;
            }
            JsonNode ticket = signed.body();
            if ("MULTIPART".equals(ticket.get("method").asString())) {
                // a profile's large files: parts, then the signer completes
                var completed = client.uploadParts(s.demoToken(), ticket, file);
                System.out.println("upload: " + ticket.get("partCount") + " parts, completion answered HTTP "
                        + completed.status() + " " + completed.body());
                if (completed.status() != 200) {
                    return 1;
                }
            } else {
                int put = client.put(ticket, readAll());
                System.out.println("upload: storage answered HTTP " + put);
                if (put != 200) {
                    return 1;
                }
            }
            JsonNode verdict =
                    client.awaitVerdict(s.demoToken(), ticket.get("uploadId").asString(), Duration.ofSeconds(60));
            System.out.println("verdict: " + verdict.toPrettyString());
            return 0;
        }

        private byte[] readAll() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Prints an upload's status.")
    static final class Status implements Callable<Integer> {

        @Parameters(paramLabel = "UPLOAD-ID", description = "as returned by upload")
        String uploadId;

        @Override
        public Integer call() {
            LocalSettings s = settings();
            var reply = new SignerClient(s.signerUrl()).status(s.demoToken(), uploadId);
            System.out.println(reply.body().toPrettyString());
            return reply.status() == 200 ? 0 : 1;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs the whole story, step by step.")
    static final class RunDemo implements Callable<Integer> {

        @Override
        public Integer call() {
            return new Demo(settings(), System.out).run() ? 0 : 1;
        }
    }
}
