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

    static final String ISSUER = "https://issuer.example.com/";
    static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/uploadguard";
    static final String EXTERNAL_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:uploadguard/db-AbCdEf";

    private static Template local;
    private static Template options;
    private static Template lambdaAurora;
    private static Template fargateAurora;
    private static Template fargateExternal;
    private static Template noneAurora;
    private static Template notificationsLambda;
    private static Template notificationsNamedBus;
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
            artifacts();
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
            context.put("signerLambdaArtifact", signerJar.toString());
            context.put("enforcerLambdaArtifact", enforcerJar.toString());
            context.put("jwtIssuer", "https://issuer.example.com/");
            context.put("jwtAudiences", List.of("uploadguard", "uploadguard-admin"));
            context.put("datasourceUrl", "jdbc:postgresql://db.example.com:5432/uploadguard");
            context.put("datasourceUsername", "uploadguard");
            context.put("datasourcePasswordSecret", "uploadguard/db");
            options = synth(context);
        }
        return options;
    }

    /** compute=lambda with the stack's database: the functions in the VPC, the release on a schedule. */
    static synchronized Template lambdaAurora() {
        if (lambdaAurora == null) {
            artifacts();
            Map<String, Object> context = withIdentityProvider("lambda");
            context.put("signerLambdaArtifact", signerJar.toString());
            context.put("enforcerLambdaArtifact", enforcerJar.toString());
            context.put("database", "aurora");
            lambdaAurora = synth(context);
        }
        return lambdaAurora;
    }

    /** compute=fargate with the stack's database, HTTPS on the load balancer; images from the real Dockerfiles. */
    static synchronized Template fargateAurora() {
        if (fargateAurora == null) {
            Map<String, Object> context = withIdentityProvider("fargate");
            context.put("database", "aurora");
            context.put("loadBalancerCertificateArn", CERTIFICATE);
            fargateAurora = synth(context);
        }
        return fargateAurora;
    }

    /** compute=fargate with a database of your own (URL, user, and a secret by ARN), HTTP on 80. */
    static synchronized Template fargateExternal() {
        if (fargateExternal == null) {
            Map<String, Object> context = withIdentityProvider("fargate");
            context.put("datasourceUrl", "jdbc:postgresql://db.example.com:5432/uploadguard");
            context.put("datasourceUsername", "uploadguard_app");
            context.put("datasourcePasswordSecret", EXTERNAL_SECRET);
            context.put("enforcerMaxTasks", 6);
            fargateExternal = synth(context);
        }
        return fargateExternal;
    }

    /** compute=none with the stack's database: your own compute joins the services' security groups. */
    static synchronized Template noneAurora() {
        if (noneAurora == null) {
            Map<String, Object> context = new LinkedHashMap<>(LOCAL);
            context.put("database", "aurora");
            context.put("databaseDeletionProtection", false);
            noneAurora = synth(context);
        }
        return noneAurora;
    }

    /** compute=lambda with a notification bus and topic created by the stack: grants, environment, dispatch. */
    static synchronized Template notificationsLambda() {
        if (notificationsLambda == null) {
            artifacts();
            Map<String, Object> context = withIdentityProvider("lambda");
            context.put("signerLambdaArtifact", signerJar.toString());
            context.put("enforcerLambdaArtifact", enforcerJar.toString());
            context.put("datasourceUrl", "jdbc:postgresql://db.example.com:5432/uploadguard");
            context.put("datasourceUsername", "uploadguard_app");
            context.put("datasourcePasswordSecret", EXTERNAL_SECRET);
            context.put("notificationsEventBus", "create");
            context.put("notificationsTopic", "true");
            notificationsLambda = synth(context);
        }
        return notificationsLambda;
    }

    /** compute=none with an existing bus by name: the grant names that bus, nothing is created. */
    static synchronized Template notificationsNamedBus() {
        if (notificationsNamedBus == null) {
            Map<String, Object> context = new LinkedHashMap<>(LOCAL);
            context.put("notificationsEventBus", "default");
            notificationsNamedBus = synth(context);
        }
        return notificationsNamedBus;
    }

    /** Every combination the tests synthesize, by name (none/none is {@code local}). */
    static Map<String, Template> all() {
        Map<String, Template> all = new LinkedHashMap<>();
        all.put("none-none", local());
        all.put("none-aurora", noneAurora());
        all.put("lambda-external", options());
        all.put("lambda-aurora", lambdaAurora());
        all.put("fargate-aurora", fargateAurora());
        all.put("fargate-external", fargateExternal());
        return all;
    }

    private static Map<String, Object> withIdentityProvider(String compute) {
        Map<String, Object> context = new LinkedHashMap<>(LOCAL);
        context.put("compute", compute);
        context.put("jwtIssuer", ISSUER);
        context.put("jwtAudiences", "uploadguard");
        return context;
    }

    private static void artifacts() {
        if (signerJar == null) {
            signerJar = fakeJar("signer");
            enforcerJar = fakeJar("enforcer");
        }
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
