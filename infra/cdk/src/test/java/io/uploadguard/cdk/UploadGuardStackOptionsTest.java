package io.uploadguard.cdk;

import static io.uploadguard.cdk.Cfn.asMap;
import static io.uploadguard.cdk.Expected.abortMultipartAfter;
import static io.uploadguard.cdk.Expected.denyUnless;
import static io.uploadguard.cdk.Expected.expire;
import static io.uploadguard.cdk.Expected.roleAssumedBy;
import static io.uploadguard.cdk.Expected.statement;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack with every option changed: a separate quarantine bucket, an existing admin role, a
 * reader of served/, other limits, an alarm e-mail, and the signer and the enforcer as Lambdas.
 */
@Tag("integration")
class UploadGuardStackOptionsTest {

    static Template template;
    static Cfn cfn;

    static final String UPLOADS = "${Uploads.Arn}";
    static final String QUARANTINE_BUCKET = "${Quarantine.Arn}";
    static final String QUARANTINE = QUARANTINE_BUCKET + "/quarantine/*";
    static final String ENFORCER = "${EnforcerRole.Arn}";
    static final String SIGNER = "${SignerRole.Arn}";
    static final String LAMBDA_LOGS =
            "managed:arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    /** The database secret, named by name: IAM matches the six characters Secrets Manager appends. */
    static final String[] READ_SECRET = {
        "secretsmanager:DescribeSecret arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:uploadguard/db-??????",
        "secretsmanager:GetSecretValue arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:uploadguard/db-??????"
    };

    @BeforeAll
    static void synthesize() {
        template = Synth.options();
        cfn = new Cfn(template);
    }

    @Test
    void contextReachesTheResources() {
        Map<String, Object> uploads = cfn.properties("AWS::S3::Bucket", "Uploads");
        assertThat(uploads).doesNotContainKey("BucketName"); // CloudFormation picks a unique name
        Map<String, Object> cors =
                asMap(((List<?>) asMap(uploads.get("CorsConfiguration")).get("CorsRules")).get(0));
        assertThat(cors.get("AllowedOrigins"))
                .isEqualTo(List.of("https://app.example.com", "https://admin.example.com"));
        Map<String, Object> events = cfn.properties("AWS::SQS::Queue", "EventsQueue");
        assertThat(events)
                .containsEntry("VisibilityTimeout", 300)
                .containsEntry(
                        "RedrivePolicy",
                        Map.of("deadLetterTargetArn", "${EventsDeadLetterQueue.Arn}", "maxReceiveCount", 3));
        assertThat(cfn.properties("AWS::CloudWatch::Alarm", "OldestEventTooOld"))
                .containsEntry("Threshold", 600);
        template.hasResourceProperties(
                "AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "ops@example.com"));
    }

    @Test
    void theQuarantineBucketIsPrivateAndExpires() {
        Map<String, Object> quarantine = cfn.properties("AWS::S3::Bucket", "Quarantine");
        assertThat(quarantine)
                .containsEntry("BucketName", "uploadguard-quarantine-test")
                .containsEntry("PublicAccessBlockConfiguration", Expected.ALL_PUBLIC_ACCESS_BLOCKED)
                .containsKey("BucketEncryption")
                .doesNotContainKey("CorsConfiguration");
        assertThat(quarantine.get("LifecycleConfiguration"))
                .isEqualTo(Map.of(
                        "Rules", List.of(abortMultipartAfter(1), expire("expire-quarantine", "quarantine/", 90))));
        // the upload bucket no longer holds a quarantine
        assertThat(cfn.properties("AWS::S3::Bucket", "Uploads").get("LifecycleConfiguration"))
                .isEqualTo(Map.of(
                        "Rules", List.of(abortMultipartAfter(1), expire("expire-unsettled-incoming", "incoming/", 2))));
    }

    @Test
    void theQuarantineBucketPolicyAdmitsOnlyTheEnforcerAndTheGivenAdminRole() {
        Map<String, Object> policy = cfn.properties("AWS::S3::BucketPolicy", "QuarantinePolicy");
        String admin = Synth.ADMIN_ROLE;
        assertThat(Cfn.statements(asMap(policy.get("PolicyDocument"))))
                .containsExactlyInAnyOrderElementsOf(Expected.concat(
                        Expected.tlsOnly(QUARANTINE_BUCKET),
                        Expected.quarantineStatements(QUARANTINE_BUCKET, QUARANTINE, ENFORCER, admin),
                        List.of(statement(
                                "DenyWritingOutsideTheQuarantinePrefix",
                                "Deny",
                                Map.of("AWS", "*"),
                                List.of("s3:PutObject*"),
                                null,
                                List.of(QUARANTINE),
                                null))));
        // no admin role is created when one is given
        assertThat(cfn.ofType("AWS::IAM::Role")).doesNotContainKey("AdminRole");
    }

    @Test
    void theUploadBucketPolicyGrantsTheReaderServedOnly() {
        Map<String, Object> policy = cfn.properties("AWS::S3::BucketPolicy", "UploadsPolicy");
        List<Map<String, Object>> statements = Cfn.statements(asMap(policy.get("PolicyDocument")));
        assertThat(statements)
                .contains(
                        statement(
                                "AllowReaderToReadServed",
                                "Allow",
                                Map.of("AWS", Synth.READER),
                                List.of("s3:GetObject"),
                                List.of(UPLOADS + "/served/*"),
                                null,
                                null),
                        statement(
                                "DenyWritingOutsideTheLayout",
                                "Deny",
                                Map.of("AWS", "*"),
                                List.of("s3:PutObject*"),
                                null,
                                List.of(UPLOADS + "/incoming/*", UPLOADS + "/served/*"),
                                null),
                        denyUnless(
                                "DenyReadingIncomingExceptEnforcer",
                                "s3:GetObject*",
                                UPLOADS + "/incoming/*",
                                ENFORCER),
                        denyUnless("DenyUploadingExceptSigner", "s3:PutObject*", UPLOADS + "/incoming/*", SIGNER));
        assertThat(statements.toString()).doesNotContain("quarantine");
        assertThat(statements).hasSize(7);
    }

    @Test
    void rolesKeepTheirLeastPrivilegeWhenRunningAsLambdas() {
        Set<String> signer = UploadGuardStackTest.signerAllows(UPLOADS + "/incoming/*");
        signer.addAll(List.of(LAMBDA_LOGS, READ_SECRET[0], READ_SECRET[1]));
        assertThat(cfn.allowedFor("SignerRole")).containsExactlyInAnyOrderElementsOf(signer);
        Set<String> enforcer =
                new TreeSet<>(UploadGuardStackTest.enforcerAllows(QUARANTINE, List.of(UPLOADS, QUARANTINE_BUCKET)));
        enforcer.addAll(List.of(LAMBDA_LOGS, READ_SECRET[0], READ_SECRET[1]));
        assertThat(cfn.allowedFor("EnforcerRole")).containsExactlyInAnyOrderElementsOf(enforcer);
        template.hasResourceProperties(
                "AWS::IAM::Role", roleAssumedBy("UploadGuard enforcer.*", Map.of("Service", "lambda.amazonaws.com")));
    }

    @Test
    void theEnforcerLambdaReportsBatchItemFailures() {
        Map<String, Object> mapping = cfn.ofType("AWS::Lambda::EventSourceMapping")
                .values()
                .iterator()
                .next();
        assertThat(cfn.ofType("AWS::Lambda::EventSourceMapping")).hasSize(1);
        assertThat(asMap(Cfn.norm(mapping.get("Properties"))))
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"))
                .containsEntry("EventSourceArn", "${EventsQueue.Arn}")
                .containsEntry("FunctionName", "${EnforcerFunction}")
                .containsEntry("BatchSize", 10);
        Map<String, Object> fn = cfn.properties("AWS::Lambda::Function", "EnforcerFunction");
        assertThat(fn)
                .containsEntry("Handler", ServiceFunctions.HANDLER)
                .containsEntry("Runtime", "java17")
                .containsEntry("Role", ENFORCER)
                .containsEntry("Timeout", UploadGuardSettings.ENFORCER_LAMBDA_TIMEOUT_SECONDS);
        Map<String, Object> env = asMap(asMap(fn.get("Environment")).get("Variables"));
        assertThat(env)
                .containsEntry("MAIN_CLASS", "io.uploadguard.enforcer.EnforcerApplication")
                .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "enforceS3Events")
                .containsEntry("UPLOADGUARD_BUCKET", "${Uploads}")
                .containsEntry("UPLOADGUARD_EVENTS_QUEUE", "${EventsQueue.QueueName}")
                .containsEntry("UPLOADGUARD_DEAD_LETTER_QUEUE", "${EventsDeadLetterQueue.QueueName}")
                .containsEntry("UPLOADGUARD_ENFORCER_QUARANTINE_BUCKET", "${Quarantine}")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.com:5432/uploadguard")
                // the password is read at start from Secrets Manager, never put into the environment
                .containsEntry("SPRING_CONFIG_IMPORT", "aws-secretsmanager:uploadguard/db?prefix=spring.datasource.")
                .doesNotContainKey("SPRING_DATASOURCE_PASSWORD");
        // SQS requires the visibility timeout to cover the function's timeout (AWS advises 6x)
        int visibility =
                (Integer) cfn.properties("AWS::SQS::Queue", "EventsQueue").get("VisibilityTimeout");
        assertThat(visibility).isGreaterThanOrEqualTo(6 * UploadGuardSettings.ENFORCER_LAMBDA_TIMEOUT_SECONDS);
    }

    @Test
    void theSignerLambdaSitsBehindAnHttpApiWithAJwtAuthorizer() {
        Map<String, Object> fn = cfn.properties("AWS::Lambda::Function", "SignerFunction");
        assertThat(fn).containsEntry("Handler", ServiceFunctions.HANDLER).containsEntry("Role", SIGNER);
        assertThat(asMap(asMap(fn.get("Environment")).get("Variables")))
                .containsEntry("MAIN_CLASS", "io.uploadguard.signer.SignerApplication")
                .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "uploadsApi")
                // one setting: the bucket's CORS origins are the signer's
                .containsEntry("UPLOADGUARD_CORS_ALLOWED_ORIGINS", "https://app.example.com,https://admin.example.com");
        assertThat(asMap(asMap(cfn.properties("AWS::Lambda::Function", "EnforcerFunction")
                                .get("Environment"))
                        .get("Variables")))
                .doesNotContainKey("UPLOADGUARD_CORS_ALLOWED_ORIGINS");
        Map<String, Object> preflight =
                asMap(cfn.properties("AWS::ApiGatewayV2::Api", "SignerApi").get("CorsConfiguration"));
        assertThat(preflight.get("AllowOrigins"))
                .isEqualTo(List.of("https://app.example.com", "https://admin.example.com"));
        template.hasResourceProperties(
                "AWS::ApiGatewayV2::Authorizer",
                Map.of(
                        "AuthorizerType", "JWT",
                        "IdentitySource", List.of("$request.header.Authorization"),
                        "JwtConfiguration",
                                Map.of(
                                        "Issuer",
                                        "https://issuer.example.com/",
                                        "Audience",
                                        List.of("uploadguard", "uploadguard-admin"))));
        Set<String> routes = new TreeSet<>();
        cfn.ofType("AWS::ApiGatewayV2::Route").values().forEach(r -> {
            Map<String, Object> props = asMap(Cfn.norm(r.get("Properties")));
            assertThat(props).as("every route is authorized").containsEntry("AuthorizationType", "JWT");
            routes.add((String) props.get("RouteKey"));
        });
        assertThat(routes)
                .containsExactlyInAnyOrder(
                        "POST /uploads",
                        "GET /uploads/{id}",
                        "DELETE /uploads/{id}",
                        "POST /uploads/{id}/parts",
                        "GET /uploads/{id}/parts",
                        "POST /uploads/{id}/complete",
                        "POST /uploads/{id}/s3/create",
                        "GET /uploads/{id}/s3/parts",
                        "POST /uploads/{id}/s3/complete");
        assertThat(cfn.ofType("AWS::Lambda::Function")).containsKeys("SignerFunction", "EnforcerFunction");
    }
}
