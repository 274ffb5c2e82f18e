package io.uploadguard.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes each configuration once per test JVM (jsii starts in ~30 s, each synthesis takes
 * ~10 s), shared by every test class.
 */
final class Synth {

    /** What docker-compose runs: the defaults plus the fixed local bucket name. */
    static final Map<String, Object> LOCAL = Map.of("bucketName", "uploadguard");

    static final String ADMIN_ROLE = "arn:aws:iam::123456789012:role/security-admin";
    static final String READER = "arn:aws:iam::123456789012:role/app-reader";

    private static Template local;
    private static Template options;
    private static Path signerJar;
    private static Path enforcerJar;

    private Synth() {}

    static synchronized Template local() {
        if (local == null) {
            local = synth(LOCAL);
        }
        return local;
    }

    /** Every option changed: separate quarantine bucket, given admin role, reader, Lambdas, ... */
    static synchronized Template options() {
        if (options == null) {
            signerJar = fakeJar("signer");
            enforcerJar = fakeJar("enforcer");
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("stackName", "UploadGuardProd");
            context.put("separateQuarantineBucket", "true"); // strings, as `cdk -c` passes them
            context.put("quarantineBucketName", "uploadguard-quarantine-test");
            context.put("corsOrigins", "https://app.example.com, https://admin.example.com");
            context.put("maxReceiveCount", "3");
            context.put("visibilityTimeoutSeconds", 300); // typed, as cdk.json holds them
            context.put("quarantineExpiryDays", 90);
            context.put("incomingExpiryDays", 2);
            context.put("oldestMessageAgeAlarmSeconds", 600);
            context.put("adminRoleArn", ADMIN_ROLE);
            context.put("readerPrincipalArn", READER);
            context.put("alarmEmail", "ops@example.com");
            context.put("lambdas", true);
            context.put("signerLambdaJar", signerJar.toString());
            context.put("enforcerLambdaJar", enforcerJar.toString());
            context.put("jwtIssuer", "https://issuer.example.com/");
            context.put("jwtAudiences", List.of("uploadguard", "uploadguard-admin"));
            context.put("datasourceUrl", "jdbc:postgresql://db.example.com:5432/uploadguard");
            context.put("datasourceUsername", "uploadguard");
            context.put("datasourcePasswordSecret", "uploadguard/db");
            options = synth(context);
        }
        return options;
    }

    static Template synth(Map<String, Object> context) {
        try {
            Path out = Files.createTempDirectory("uploadguard-cdk-out");
            App app = new App(
                    AppProps.builder().context(context).outdir(out.toString()).build());
            return Template.fromStack(UploadGuardApp.createStack(app));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fakeJar(String name) {
        try {
            Path jar = Files.createTempFile("uploadguard-" + name, ".jar");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
                zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
                zip.write(("Manifest-Version: 1.0\nImplementation-Title: " + name + "\n").getBytes());
                zip.closeEntry();
            }
            jar.toFile().deleteOnExit();
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
