package io.uploadguard.cdk;

import static io.uploadguard.cdk.Cfn.asList;
import static io.uploadguard.cdk.Cfn.asMap;
import static io.uploadguard.cdk.ProjectFiles.read;
import static io.uploadguard.cdk.ProjectFiles.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * docker-compose.yml and the LocalStack init script set up what the CDK stack sets up in AWS.
 * The init script runs here for real, with the environment docker-compose gives LocalStack, but
 * with a recording {@code awslocal}; every call it makes is compared with the synthesized template
 * (the stack with docker-compose's bucket name). The real LocalStack run is LocalStackInitScriptTest
 * in infra/sandbox, where a Docker engine exists.
 */
@Tag("integration")
class LocalStackConsistencyTest {

    static final Path INIT_SCRIPT = root().resolve("infra/localstack/init/ready.d/10-uploadguard.sh");
    static final JsonMapper JSON = JsonMapper.builder().build();

    static Cfn cfn;
    static List<List<String>> calls;
    static Map<String, Object> compose;

    record Call(List<String> args) {
        String command() {
            return args.get(0) + " " + args.get(1);
        }

        String option(String name) {
            int i = args.indexOf(name);
            assertThat(i).as(name + " in " + args).isNotNegative();
            return args.get(i + 1);
        }

        Map<String, Object> json(String name) {
            return asMap(JSON.readValue(option(name), Map.class));
        }
    }

    @BeforeAll
    static void runTheInitScriptAndSynthesize(@TempDir Path dir) throws Exception {
        compose = new Yaml().load(read(root().resolve("docker-compose.yml")));
        calls = runInitScript(dir, localstackEnvironment());
        cfn = new Cfn(Synth.local());
    }

    static List<Call> calls(String command) {
        return calls.stream()
                .map(Call::new)
                .filter(c -> c.command().equals(command))
                .toList();
    }

    static Call call(String command) {
        List<Call> found = calls(command);
        assertThat(found).as("init script calls to awslocal " + command).hasSize(1);
        return found.get(0);
    }

    // ---------------------------------------------------------------- bucket

    @Test
    void sameBucketNameEverywhere() {
        Object bucket = cfn.properties("AWS::S3::Bucket", "Uploads").get("BucketName");
        assertThat(call("s3api create-bucket").option("--bucket")).isEqualTo(bucket);
        calls.stream()
                .map(Call::new)
                .filter(c -> c.args().get(0).equals("s3api"))
                .forEach(c -> assertThat(c.option("--bucket")).isEqualTo(bucket));
        for (String service : List.of("signer", "enforcer")) {
            assertThat(environment(service)).containsEntry("UPLOADGUARD_BUCKET", bucket);
        }
    }

    @Test
    void samePublicAccessBlockEncryptionAndOwnership() {
        Map<String, Object> bucket = cfn.properties("AWS::S3::Bucket", "Uploads");
        Map<String, Object> block = new LinkedHashMap<>();
        for (String pair : call("s3api put-public-access-block")
                .option("--public-access-block-configuration")
                .split(",")) {
            String[] kv = pair.split("=");
            block.put(kv[0], Boolean.parseBoolean(kv[1]));
        }
        assertThat(block).isEqualTo(bucket.get("PublicAccessBlockConfiguration"));

        Map<String, Object> encryption =
                call("s3api put-bucket-encryption").json("--server-side-encryption-configuration");
        List<Object> rules = new ArrayList<>();
        for (Object rule : asList(encryption.get("Rules"))) {
            rules.add(Map.of("ServerSideEncryptionByDefault", asMap(rule).get("ApplyServerSideEncryptionByDefault")));
        }
        assertThat(Map.of("ServerSideEncryptionConfiguration", rules)).isEqualTo(bucket.get("BucketEncryption"));

        assertThat(call("s3api put-bucket-ownership-controls").json("--ownership-controls"))
                .isEqualTo(bucket.get("OwnershipControls"));
    }

    @Test
    void sameCors() {
        List<Object> expected =
                asList(asMap(cfn.properties("AWS::S3::Bucket", "Uploads").get("CorsConfiguration"))
                        .get("CorsRules"));
        List<Object> actual = new ArrayList<>();
        for (Object r : asList(
                call("s3api put-bucket-cors").json("--cors-configuration").get("CORSRules"))) {
            Map<String, Object> rule = asMap(r);
            Map<String, Object> cfnForm = new LinkedHashMap<>();
            rule.forEach((k, v) -> cfnForm.put(
                    switch (k) {
                        case "ID" -> "Id";
                        case "ExposeHeaders" -> "ExposedHeaders";
                        case "MaxAgeSeconds" -> "MaxAge";
                        default -> k;
                    },
                    v));
            actual.add(cfnForm);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void sameLifecycleRules() {
        List<Object> expected =
                asList(asMap(cfn.properties("AWS::S3::Bucket", "Uploads").get("LifecycleConfiguration"))
                        .get("Rules"));
        List<Object> actual = new ArrayList<>();
        for (Object r : asList(call("s3api put-bucket-lifecycle-configuration")
                .json("--lifecycle-configuration")
                .get("Rules"))) {
            Map<String, Object> rule = asMap(r);
            Map<String, Object> cfnForm = new HashMap<>();
            cfnForm.put("Id", rule.get("ID"));
            cfnForm.put("Status", rule.get("Status"));
            String prefix = (String) asMap(rule.get("Filter")).get("Prefix");
            if (!prefix.isEmpty()) {
                cfnForm.put("Prefix", prefix);
            }
            if (rule.containsKey("Expiration")) {
                cfnForm.put("ExpirationInDays", asMap(rule.get("Expiration")).get("Days"));
            }
            if (rule.containsKey("AbortIncompleteMultipartUpload")) {
                cfnForm.put("AbortIncompleteMultipartUpload", rule.get("AbortIncompleteMultipartUpload"));
            }
            actual.add(cfnForm);
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    // ---------------------------------------------------------------- queues

    @Test
    void sameQueuesRedriveAndLimits() {
        Map<String, Object> events = cfn.properties("AWS::SQS::Queue", "EventsQueue");
        Map<String, Object> dlq = cfn.properties("AWS::SQS::Queue", "EventsDeadLetterQueue");
        List<Call> creates = calls("sqs create-queue");
        assertThat(creates).hasSize(2);
        Call dlqCall = creates.stream()
                .filter(c -> c.option("--queue-name").equals(dlq.get("QueueName")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead-letter queue named " + dlq.get("QueueName")));
        Call eventsCall = creates.stream()
                .filter(c -> c.option("--queue-name").equals(events.get("QueueName")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no events queue named " + events.get("QueueName")));

        Map<String, Object> dlqAttributes = dlqCall.json("--attributes");
        assertThat(dlqAttributes).containsOnlyKeys("MessageRetentionPeriod", "MaximumMessageSize");
        assertThat(dlqAttributes.get("MessageRetentionPeriod"))
                .isEqualTo(String.valueOf(dlq.get("MessageRetentionPeriod")));
        assertThat(dlqAttributes.get("MaximumMessageSize")).isEqualTo(String.valueOf(dlq.get("MaximumMessageSize")));

        Map<String, Object> attributes = eventsCall.json("--attributes");
        assertThat(attributes)
                .containsOnlyKeys("VisibilityTimeout", "MessageRetentionPeriod", "MaximumMessageSize", "RedrivePolicy");
        for (String key : List.of("VisibilityTimeout", "MessageRetentionPeriod", "MaximumMessageSize")) {
            assertThat(attributes.get(key)).as(key).isEqualTo(String.valueOf(events.get(key)));
        }
        Map<String, Object> redrive = asMap(JSON.readValue((String) attributes.get("RedrivePolicy"), Map.class));
        Map<String, Object> expectedRedrive = asMap(events.get("RedrivePolicy"));
        assertThat(redrive.get("maxReceiveCount")).isEqualTo(String.valueOf(expectedRedrive.get("maxReceiveCount")));
        assertThat(redrive.get("deadLetterTargetArn")).isEqualTo(stubArn((String) dlq.get("QueueName")));
        assertThat(expectedRedrive.get("deadLetterTargetArn")).isEqualTo("${EventsDeadLetterQueue.Arn}");

        for (String service : List.of("signer", "enforcer")) {
            Map<String, Object> env = environment(service);
            assertThat(env)
                    .containsEntry("UPLOADGUARD_EVENTS_QUEUE", events.get("QueueName"))
                    .containsEntry("UPLOADGUARD_DEAD_LETTER_QUEUE", dlq.get("QueueName"));
        }
    }

    @Test
    void sameQueuePolicyForTheBucket() {
        Call set = call("sqs set-queue-attributes");
        assertThat(set.option("--queue-url"))
                .endsWith("/" + cfn.properties("AWS::SQS::Queue", "EventsQueue").get("QueueName"));
        Map<String, Object> policy =
                asMap(JSON.readValue((String) set.json("--attributes").get("Policy"), Map.class));
        List<Map<String, Object>> local = Cfn.statements(policy);
        assertThat(local).hasSize(1);
        Map<String, Object> allow = local.get(0);

        Map<String, Object> cdkAllow = Cfn.statements(asMap(cfn.properties("AWS::SQS::QueuePolicy", "EventsQueuePolicy")
                        .get("PolicyDocument")))
                .stream()
                .filter(s -> "Allow".equals(s.get("Effect")))
                .findFirst()
                .orElseThrow();
        assertThat(allow.get("Principal")).isEqualTo(cdkAllow.get("Principal"));
        assertThat(allow.get("Action")).isEqualTo(cdkAllow.get("Action"));
        String bucket = (String) cfn.properties("AWS::S3::Bucket", "Uploads").get("BucketName");
        assertThat(allow.get("Condition"))
                .isEqualTo(Map.of("ArnLike", Map.of("aws:SourceArn", List.of("arn:aws:s3:::" + bucket))));
        assertThat(cdkAllow.get("Condition"))
                .isEqualTo(Map.of("ArnLike", Map.of("aws:SourceArn", List.of("${Uploads.Arn}"))));
    }

    // ---------------------------------------------------------------- notifications

    @Test
    void sameNotifications() {
        Set<String> expected = new TreeSet<>();
        Map<String, Object> cdk = asMap(cfn.properties("Custom::S3BucketNotifications", "UploadsNotifications")
                .get("NotificationConfiguration"));
        String eventsQueue =
                (String) cfn.properties("AWS::SQS::Queue", "EventsQueue").get("QueueName");
        for (Object q : asList(cdk.get("QueueConfigurations"))) {
            Map<String, Object> queue = asMap(q);
            assertThat(queue.get("QueueArn")).isEqualTo("${EventsQueue.Arn}");
            expected.add(notification(queue, eventsQueue));
        }
        Set<String> actual = new TreeSet<>();
        Map<String, Object> local =
                call("s3api put-bucket-notification-configuration").json("--notification-configuration");
        assertThat(local).containsOnlyKeys("QueueConfigurations");
        for (Object q : asList(local.get("QueueConfigurations"))) {
            Map<String, Object> queue = asMap(q);
            String arn = (String) queue.get("QueueArn");
            actual.add(notification(queue, arn.substring(arn.lastIndexOf(':') + 1)));
        }
        assertThat(actual).isEqualTo(expected).hasSize(3);
        // the init is last: the notification configuration needs the queue and its policy
        List<String> order = calls.stream().map(a -> new Call(a).command()).toList();
        assertThat(order.indexOf("s3api put-bucket-notification-configuration"))
                .isGreaterThan(order.lastIndexOf("sqs set-queue-attributes"));
    }

    private static String notification(Map<String, Object> queue, String queueName) {
        List<String> prefixes = new ArrayList<>();
        for (Object rule : asList(asMap(asMap(queue.get("Filter")).get("Key")).get("FilterRules"))) {
            prefixes.add(asMap(rule).get("Name") + "=" + asMap(rule).get("Value"));
        }
        return new TreeSet<>(asList(queue.get("Events"))) + " " + prefixes + " -> " + queueName;
    }

    // ---------------------------------------------------------------- docker-compose and images

    @Test
    void localStackValidatesPresignedSignaturesAndRunsTheInitScript() {
        Map<String, Object> localstack = service("localstack");
        Map<String, Object> env = environment("localstack");
        assertThat(env).containsEntry("S3_SKIP_SIGNATURE_VALIDATION", "0");
        assertThat(List.of(((String) env.get("SERVICES")).split(","))).contains("s3", "sqs");
        assertThat(asList(localstack.get("volumes")))
                .contains("./infra/localstack/init/ready.d:/etc/localstack/init/ready.d:ro");
        assertThat(String.valueOf(localstack.get("healthcheck"))).contains("/tmp/uploadguard-init.done");
        // the same image as the Testcontainers run of the conformance suite
        Matcher image = Pattern.compile("IMAGE\\s*=\\s*\"([^\"]+)\"")
                .matcher(read(
                        root().resolve("infra/sandbox/src/test/java/io/uploadguard/sandbox/LocalStackTarget.java")));
        assertThat(image.find()).isTrue();
        assertThat(localstack.get("image")).isEqualTo(image.group(1));
        assertThat(Files.isExecutable(INIT_SCRIPT))
                .as("LocalStack runs only executable init scripts")
                .isTrue();
    }

    @Test
    void corsOriginsIncludeTheSignersUploadPage() {
        List<Object> origins = asList(asMap(asList(asMap(cfn.properties("AWS::S3::Bucket", "Uploads")
                                        .get("CorsConfiguration"))
                                .get("CorsRules"))
                        .get(0))
                .get("AllowedOrigins"));
        String signerPort =
                String.valueOf(asList(service("signer").get("ports")).get(0)).replaceAll(".*:", "");
        assertThat(origins).contains("http://localhost:" + signerPort);
    }

    @Test
    void servicesTalkToLocalStackAndTheSignerPresignsForTheHost() {
        Map<String, Object> signer = environment("signer");
        Map<String, Object> enforcer = environment("enforcer");
        String published =
                String.valueOf(asList(service("localstack").get("ports")).get(0));
        assertThat(published).endsWith(":4566:4566");
        // browsers on this machine reach LocalStack at localhost:4566: URLs must be signed for that host
        assertThat(signer)
                .containsEntry("SPRING_CLOUD_AWS_S3_ENDPOINT", "http://localhost:4566")
                .containsEntry("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED", "true");
        assertThat(enforcer)
                .containsEntry("SPRING_CLOUD_AWS_S3_ENDPOINT", "http://localstack:4566")
                .containsEntry("SPRING_CLOUD_AWS_SQS_ENDPOINT", "http://localstack:4566")
                .containsEntry("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED", "true");
        for (Map<String, Object> env : List.of(signer, enforcer)) {
            assertThat(env)
                    .containsEntry(
                            "SPRING_CLOUD_AWS_REGION_STATIC",
                            environment("localstack").get("AWS_DEFAULT_REGION"))
                    .containsKeys(
                            "SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY",
                            "SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY",
                            "SPRING_DATASOURCE_URL",
                            "SPRING_DATASOURCE_USERNAME",
                            "SPRING_DATASOURCE_PASSWORD");
            assertThat((String) env.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        }
    }

    @Test
    void imagesAreBuiltFromTheModulesJars() {
        for (String service : List.of("signer", "enforcer")) {
            assertThat(service(service).get("build")).isEqualTo("./" + service);
            String pom = read(root().resolve(service + "/pom.xml"));
            Matcher artifact = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>")
                    .matcher(pom);
            assertThat(artifact.find()).as(service + " artifactId").isTrue();
            Matcher version = Pattern.compile("<parent>[\\s\\S]*?<version>([^<]+)</version>")
                    .matcher(pom);
            assertThat(version.find()).isTrue();
            String dockerfile = read(root().resolve(service + "/Dockerfile"));
            // the runnable Boot jar: "-exec" where the module also publishes a plain jar for other modules
            String classifier = pom.contains("<classifier>exec</classifier>") ? "-exec" : "";
            assertThat(dockerfile)
                    .contains("COPY target/" + artifact.group(1) + "-" + version.group(1) + classifier + ".jar ");
            String port =
                    String.valueOf(asList(service(service).get("ports")).get(0)).replaceAll(".*:", "");
            assertThat(dockerfile).contains("EXPOSE " + port);
        }
    }

    // ---------------------------------------------------------------- helpers

    static Map<String, Object> service(String name) {
        Map<String, Object> services = asMap(compose.get("services"));
        assertThat(services).containsKey(name);
        return asMap(services.get(name));
    }

    static Map<String, Object> environment(String service) {
        Map<String, Object> env = new LinkedHashMap<>();
        asMap(service(service).getOrDefault("environment", Map.of())).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static Map<String, String> localstackEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        environment("localstack").forEach((k, v) -> env.put(k, (String) v));
        return env;
    }

    static String stubArn(String queueName) {
        return "arn:aws:sqs:us-east-1:000000000000:" + queueName;
    }

    /** A stand-in for LocalStack's awslocal: records every call, answers queue URL and ARN look-ups. */
    private static final String STUB = """
            #!/bin/bash
            { for a in "$@"; do printf '%s' "$a" | base64 -w0; printf ' '; done; echo; } >> "$AWSLOCAL_LOG"
            case " $* " in
              *" head-bucket "*) exit 254 ;;
              *" create-queue "*)
                for ((i = 1; i <= $#; i++)); do
                  if [ "${!i}" = "--queue-name" ]; then j=$((i + 1)); echo "http://localstack:4566/000000000000/${!j}"; fi
                done ;;
              *" get-queue-attributes "*)
                for ((i = 1; i <= $#; i++)); do
                  if [ "${!i}" = "--queue-url" ]; then j=$((i + 1)); u="${!j}"; echo "arn:aws:sqs:us-east-1:000000000000:${u##*/}"; fi
                done ;;
            esac
            exit 0
            """;

    private static List<List<String>> runInitScript(Path dir, Map<String, String> env) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path stub = bin.resolve("awslocal");
        Files.writeString(stub, STUB);
        assertThat(stub.toFile().setExecutable(true)).isTrue();
        Path log = dir.resolve("awslocal.log");
        Files.createFile(log);
        ProcessBuilder pb = new ProcessBuilder("bash", INIT_SCRIPT.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("AWSLOCAL_LOG", log.toString());
        pb.environment().put("UPLOADGUARD_INIT_MARKER", dir.resolve("init.done").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("init script output:\n" + output).isZero();
        assertThat(output).contains("UploadGuard LocalStack init done");
        assertThat(dir.resolve("init.done")).as("the health check's marker").exists();
        List<List<String>> recorded = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            List<String> args = new ArrayList<>();
            for (String encoded : line.trim().split(" ")) {
                args.add(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
            }
            recorded.add(args);
        }
        return recorded;
    }
}
