package io.uploadguard.cdk;

import static io.uploadguard.cdk.Cfn.asList;
import static io.uploadguard.cdk.Cfn.asMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Request;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The stack's policies agree with the S3 calls the services make (issue 12: the sandbox does not
 * enforce IAM, so a missing grant shows only in AWS). {@link #CALLS} lists, per service, every S3
 * call in its main code with the IAM action and key area it needs; the test checks that
 *
 * <ul>
 *   <li>every S3 operation the services' code calls is in the table, and every operation in the
 *       table is still called (the table cannot drift from the code);
 *   <li>each row is allowed to that service's role by an identity policy and not denied by a
 *       bucket policy (so it works in AWS);
 *   <li>the role is allowed no S3 action on no area beyond the table (least privilege).
 * </ul>
 *
 * <p>Where a call needs a right that is not obvious from the operation: a HEAD needs
 * {@code s3:GetObject}, and {@code s3:ListBucket} so that a missing key answers 404, not 403; a copy
 * needs {@code s3:GetObject} on the source (also with {@code x-amz-copy-source-if-match}) and
 * {@code s3:PutObject} on the destination; a presigned PUT runs with the signer's rights.
 */
@Tag("integration")
class S3CallsPolicyTest {

    enum Service {
        SIGNER("signer", "SignerRole"),
        ENFORCER("enforcer", "EnforcerRole");

        final String module;
        final String role;

        Service(String module, String role) {
            this.module = module;
            this.role = role;
        }
    }

    /** Where a call lands: a key prefix; for {@code s3:ListBucket}, the bucket that holds it. */
    enum Area {
        INCOMING,
        SERVED,
        QUARANTINE
    }

    /** One S3 call: the SDK operation, the IAM action it needs and where, and who makes it. */
    record Call(Service service, String operation, String action, Area area, String where) {}

    static final List<Call> CALLS = List.of(
            // ---- signer
            call(Service.SIGNER, "presignPutObject", "s3:PutObject", Area.INCOMING, "UploadSigner: the client's PUT"),
            call(Service.SIGNER, "createMultipartUpload", "s3:PutObject", Area.INCOMING, "MultipartSigner"),
            call(Service.SIGNER, "presignUploadPart", "s3:PutObject", Area.INCOMING, "PartUrls: the client's parts"),
            call(Service.SIGNER, "listParts", "s3:ListMultipartUploadParts", Area.INCOMING, "completion, listing"),
            call(Service.SIGNER, "completeMultipartUpload", "s3:PutObject", Area.INCOMING, "MultipartCompletion"),
            call(Service.SIGNER, "abortMultipartUpload", "s3:AbortMultipartUpload", Area.INCOMING, "DELETE"),
            // ---- enforcer: inspection
            call(Service.ENFORCER, "getObject", "s3:GetObject", Area.INCOMING, "ObjectInspector: ranged GET"),
            call(
                    Service.ENFORCER,
                    "abortMultipartUpload",
                    "s3:AbortMultipartUpload",
                    Area.INCOMING,
                    "AbandonedMultipartUploads"),
            call(Service.ENFORCER, "headObject", "s3:GetObject", Area.INCOMING, "Enforcement: settled, removed"),
            call(Service.ENFORCER, "headObject", "s3:ListBucket", Area.INCOMING, "a missing key answers 404"),
            // ---- enforcer: promotion and rejection (copy, then delete the original)
            call(Service.ENFORCER, "copyObject", "s3:GetObject", Area.INCOMING, "ObjectMover: source (if-match)"),
            call(Service.ENFORCER, "copyObject", "s3:PutObject", Area.SERVED, "ObjectMover: promotion"),
            call(Service.ENFORCER, "copyObject", "s3:PutObject", Area.QUARANTINE, "ObjectMover: rejection"),
            call(Service.ENFORCER, "deleteObject", "s3:DeleteObject", Area.INCOMING, "ObjectMover: after the copy"),
            // ---- enforcer: the same copies over 5 GB, in parts (LargeObjectCopy)
            call(Service.ENFORCER, "createMultipartUpload", "s3:PutObject", Area.SERVED, "LargeObjectCopy"),
            call(Service.ENFORCER, "createMultipartUpload", "s3:PutObject", Area.QUARANTINE, "LargeObjectCopy"),
            call(Service.ENFORCER, "uploadPartCopy", "s3:GetObject", Area.INCOMING, "LargeObjectCopy: source"),
            call(Service.ENFORCER, "uploadPartCopy", "s3:PutObject", Area.SERVED, "LargeObjectCopy: promotion"),
            call(Service.ENFORCER, "uploadPartCopy", "s3:PutObject", Area.QUARANTINE, "LargeObjectCopy: rejection"),
            call(Service.ENFORCER, "completeMultipartUpload", "s3:PutObject", Area.SERVED, "LargeObjectCopy"),
            call(Service.ENFORCER, "completeMultipartUpload", "s3:PutObject", Area.QUARANTINE, "LargeObjectCopy"),
            call(Service.ENFORCER, "abortMultipartUpload", "s3:AbortMultipartUpload", Area.SERVED, "LargeObjectCopy"),
            call(
                    Service.ENFORCER,
                    "abortMultipartUpload",
                    "s3:AbortMultipartUpload",
                    Area.QUARANTINE,
                    "LargeObjectCopy"),
            call(
                    Service.ENFORCER,
                    "listMultipartUploads",
                    "s3:ListBucketMultipartUploads",
                    Area.SERVED,
                    "LargeObjectCopy: uploads left open"),
            call(
                    Service.ENFORCER,
                    "listMultipartUploads",
                    "s3:ListBucketMultipartUploads",
                    Area.QUARANTINE,
                    "LargeObjectCopy: uploads left open"),
            call(Service.ENFORCER, "uploadPartCopy", "s3:GetObject", Area.QUARANTINE, "admin release, in parts"),
            call(Service.ENFORCER, "uploadPartCopy", "s3:GetObject", Area.SERVED, "admin undo, in parts"),
            // ---- enforcer: recovery, and HEAD of served/ before booking a removal
            call(Service.ENFORCER, "headObject", "s3:GetObject", Area.SERVED, "Enforcement: recovery, removals"),
            call(Service.ENFORCER, "headObject", "s3:ListBucket", Area.SERVED, "a missing key answers 404"),
            call(Service.ENFORCER, "headObject", "s3:GetObject", Area.QUARANTINE, "Enforcement: recovery"),
            call(Service.ENFORCER, "headObject", "s3:ListBucket", Area.QUARANTINE, "a missing key answers 404"),
            // ---- enforcer: admin API (release, undo a release, purge), run by the enforcer service
            call(Service.ENFORCER, "copyObject", "s3:GetObject", Area.QUARANTINE, "AdminOperations: release"),
            call(
                    Service.ENFORCER,
                    "deleteObject",
                    "s3:DeleteObject",
                    Area.QUARANTINE,
                    "AdminOperations: release, purge"),
            call(Service.ENFORCER, "copyObject", "s3:GetObject", Area.SERVED, "AdminOperations: undo a release"),
            call(Service.ENFORCER, "deleteObject", "s3:DeleteObject", Area.SERVED, "AdminOperations: undo a release"),
            // ---- enforcer: reconciliation lists the three areas
            call(Service.ENFORCER, "listObjectsV2", "s3:ListBucket", Area.INCOMING, "Reconciler"),
            call(Service.ENFORCER, "listObjectsV2", "s3:ListBucket", Area.SERVED, "Reconciler"),
            call(Service.ENFORCER, "listObjectsV2", "s3:ListBucket", Area.QUARANTINE, "Reconciler"));

    private static Call call(Service service, String operation, String action, Area area, String where) {
        return new Call(service, operation, action, area, where);
    }

    /** The two configurations whose S3 resources differ: the quarantine as a prefix, or a bucket of its own. */
    private static Cfn template(String name) {
        return new Cfn(name.equals("local") ? Synth.local() : Synth.options());
    }

    @ParameterizedTest
    @ValueSource(strings = {"signer", "enforcer"})
    void everyS3OperationInTheServicesCodeIsInTheTable(String module) {
        Service service = Service.valueOf(module.toUpperCase(Locale.ROOT));
        Set<String> inTable = CALLS.stream()
                .filter(c -> c.service() == service)
                .map(Call::operation)
                .collect(toSortedSet());
        assertThat(operationsCalledIn(ProjectFiles.root().resolve(module + "/src/main/java")))
                .as("S3 operations called in " + module + "/src/main (add a row to CALLS, and the grant to the stack)")
                .isEqualTo(inTable);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "options"})
    void eachServiceRoleIsAllowedExactlyTheS3CallsOfItsService(String configuration) {
        Cfn cfn = template(configuration);
        for (Service service : Service.values()) {
            Set<String> expected = CALLS.stream()
                    .filter(c -> c.service() == service)
                    .map(c -> c.action() + " " + resource(cfn, c))
                    .collect(toSortedSet());
            Set<String> allowed = cfn.allowedFor(service.role).stream()
                    .filter(pair -> pair.startsWith("s3:"))
                    .collect(toSortedSet());
            assertThat(allowed)
                    .as(service + "'s S3 grants in the " + configuration + " stack: the table's calls, nothing more")
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "options"})
    void noBucketPolicyDeniesACallOfTheTable(String configuration) {
        Cfn cfn = template(configuration);
        // a bucket's policy is evaluated for requests to that bucket only
        Map<String, List<Map<String, Object>>> deniesByBucketArn = new TreeMap<>();
        cfn.ofType("AWS::S3::BucketPolicy").values().forEach(p -> {
            Map<String, Object> properties = asMap(Cfn.norm(p.get("Properties")));
            String bucketArn = ((String) properties.get("Bucket")).replace("}", ".Arn}");
            deniesByBucketArn.put(
                    bucketArn,
                    Cfn.statements(asMap(properties.get("PolicyDocument"))).stream()
                            .filter(st -> "Deny".equals(st.get("Effect")))
                            .toList());
        });
        assertThat(deniesByBucketArn).isNotEmpty();
        for (Call call : CALLS) {
            String roleArn = "${" + call.service().role + ".Arn}";
            String target = resource(cfn, call).replace("*", "some/key");
            String bucketArn = target.replaceFirst("/.*", "");
            assertThat(deniesByBucketArn).containsKey(bucketArn);
            for (Map<String, Object> deny : deniesByBucketArn.get(bucketArn)) {
                assertThat(denies(deny, roleArn, call.action(), target))
                        .as(call + " in the " + configuration + " stack is denied by " + deny)
                        .isFalse();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The resource a call needs, in {@link Cfn}'s readable form. */
    private static String resource(Cfn cfn, Call call) {
        String bucket =
                call.area() == Area.QUARANTINE && cfn.ofType("AWS::S3::Bucket").containsKey("Quarantine")
                        ? "${Quarantine.Arn}"
                        : "${Uploads.Arn}";
        if (call.action().equals("s3:ListBucket") || call.action().equals("s3:ListBucketMultipartUploads")) {
            return bucket;
        }
        return bucket + "/" + call.area().name().toLowerCase(Locale.ROOT) + "/*";
    }

    /**
     * Whether one Deny statement of a bucket policy applies to this role's call, as IAM evaluates
     * it. Only the conditions the stack writes are known; another fails the test, so that this
     * evaluator is extended rather than silently wrong.
     */
    private static boolean denies(Map<String, Object> deny, String roleArn, String action, String resource) {
        assertThat(deny.get("Principal"))
                .as("deny statements name every principal")
                .isEqualTo(Map.of("AWS", "*"));
        if (Cfn.sortedList(deny.get("Action")).stream()
                .noneMatch(a -> glob(a).matcher(action).matches())) {
            return false;
        }
        if (deny.containsKey("Resource")
                && Cfn.sortedList(deny.get("Resource")).stream()
                        .noneMatch(r -> glob(r).matcher(resource).matches())) {
            return false;
        }
        if (deny.containsKey("NotResource")
                && Cfn.sortedList(deny.get("NotResource")).stream()
                        .anyMatch(r -> glob(r).matcher(resource).matches())) {
            return false;
        }
        for (Map.Entry<String, Object> condition :
                asMap(deny.getOrDefault("Condition", Map.of())).entrySet()) {
            Map<String, Object> keys = asMap(condition.getValue());
            switch (condition.getKey()) {
                case "Bool", "NumericLessThan" -> {
                    // the SDK speaks TLS 1.2 or newer: the TLS-only denies never apply to the services
                    assertThat(keys.keySet()).isSubsetOf("aws:SecureTransport", "s3:TlsVersion");
                    return false;
                }
                case "ArnNotEquals" -> {
                    assertThat(keys.keySet()).containsOnly("aws:PrincipalArn");
                    if (asList(keys.get("aws:PrincipalArn")).contains(roleArn)) {
                        return false;
                    }
                }
                default -> throw new AssertionError("unknown condition in a bucket policy: " + condition);
            }
        }
        return true;
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(
                Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }

    /** Every S3 client or presigner operation called in the Java files under {@code sources} that use the S3 SDK. */
    private static Set<String> operationsCalledIn(Path sources) {
        Set<String> operations = s3Operations();
        Pattern call = Pattern.compile("\\.(\\w+)\\(");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = ProjectFiles.read(file);
                if (!source.contains("import software.amazon.awssdk.services.s3.")) {
                    continue;
                }
                Matcher m = call.matcher(source);
                while (m.find()) {
                    String name = m.group(1).replaceFirst("Paginator$", "");
                    if (operations.contains(name)) {
                        found.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(found).as("S3 calls found under " + sources).isNotEmpty();
        return found;
    }

    /** The names of S3Client's operations (methods taking a request) and of S3Presigner's presign methods. */
    private static Set<String> s3Operations() {
        Set<String> names = new TreeSet<>();
        for (Method m : S3Client.class.getMethods()) {
            if (m.getParameterCount() > 0 && S3Request.class.isAssignableFrom(m.getParameterTypes()[0])) {
                names.add(m.getName());
            }
        }
        for (Method m : S3Presigner.class.getMethods()) {
            if (m.getName().startsWith("presign")) {
                names.add(m.getName());
            }
        }
        assertThat(names).contains("getObject", "headObject", "copyObject", "deleteObject", "presignPutObject");
        return names;
    }

    private static Collector<String, ?, Set<String>> toSortedSet() {
        return Collectors.toCollection(TreeSet::new);
    }
}
