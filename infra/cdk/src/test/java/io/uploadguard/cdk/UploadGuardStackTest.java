package io.uploadguard.cdk;

import static io.uploadguard.cdk.Cfn.asMap;
import static io.uploadguard.cdk.Expected.abortMultipartAfter;
import static io.uploadguard.cdk.Expected.deny;
import static io.uploadguard.cdk.Expected.denyUnless;
import static io.uploadguard.cdk.Expected.expire;
import static io.uploadguard.cdk.Expected.roleAssumedBy;
import static io.uploadguard.cdk.Expected.statement;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack with its defaults (as docker-compose runs it): every property the issue asks for,
 * asserted exactly, so that a missing or extra policy line fails a test.
 */
@Tag("integration")
class UploadGuardStackTest {

    static Template template;
    static Cfn cfn;

    static final String BUCKET = "${Uploads.Arn}";
    static final String INCOMING = BUCKET + "/incoming/*";
    static final String SERVED = BUCKET + "/served/*";
    static final String QUARANTINE = BUCKET + "/quarantine/*";
    static final String EVENTS = "${EventsQueue.Arn}";
    static final String DLQ = "${EventsDeadLetterQueue.Arn}";
    static final String SIGNER = "${SignerRole.Arn}";
    static final String ENFORCER = "${EnforcerRole.Arn}";
    static final String ADMIN = "${AdminRole.Arn}";

    @BeforeAll
    static void synthesize() {
        template = Synth.local();
        cfn = new Cfn(template);
    }

    // ---------------------------------------------------------------- bucket

    @Test
    void oneUploadBucketPrivateEncryptedOwnerEnforcedAndRetained() {
        assertThat(cfn.ofType("AWS::S3::Bucket")).containsOnlyKeys("Uploads");
        Map<String, Object> bucket = cfn.properties("AWS::S3::Bucket", "Uploads");
        assertThat(bucket.get("BucketName")).isEqualTo("uploadguard");
        assertThat(bucket.get("PublicAccessBlockConfiguration")).isEqualTo(Expected.ALL_PUBLIC_ACCESS_BLOCKED);
        assertThat(bucket.get("BucketEncryption"))
                .isEqualTo(Map.of(
                        "ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))));
        assertThat(bucket.get("OwnershipControls"))
                .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
        assertThat(bucket).doesNotContainKeys("WebsiteConfiguration", "AccessControl", "VersioningConfiguration");
        assertThat(cfn.resource("AWS::S3::Bucket", "Uploads")).containsEntry("DeletionPolicy", "Retain");
    }

    @Test
    void corsAllowsOnlyPutFromTheConfiguredOriginsWithTheSignedHeaders() {
        Map<String, Object> bucket = cfn.properties("AWS::S3::Bucket", "Uploads");
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put(
                "AllowedHeaders",
                List.of(
                        "content-type",
                        "if-none-match",
                        "x-amz-meta-user-id",
                        "x-amz-meta-upload-id",
                        "x-amz-checksum-sha256"));
        rule.put("AllowedMethods", List.of("PUT"));
        rule.put("AllowedOrigins", List.of("http://localhost:8080"));
        rule.put("ExposedHeaders", List.of("ETag"));
        rule.put("Id", "presigned-put");
        rule.put("MaxAge", 3000);
        assertThat(bucket.get("CorsConfiguration")).isEqualTo(Map.of("CorsRules", List.of(rule)));
    }

    @Test
    void lifecycleAbortsMultipartExpiresQuarantineAndUnsettledIncoming() {
        Map<String, Object> bucket = cfn.properties("AWS::S3::Bucket", "Uploads");
        assertThat(bucket.get("LifecycleConfiguration"))
                .isEqualTo(Map.of(
                        "Rules",
                        List.of(
                                abortMultipartAfter(1),
                                expire("expire-unsettled-incoming", "incoming/", 7),
                                expire("expire-quarantine", "quarantine/", 30))));
    }

    @Test
    void bucketPolicyIsFailClosedExactly() {
        Map<String, Object> policy = cfn.properties("AWS::S3::BucketPolicy", "UploadsPolicy");
        assertThat(policy.get("Bucket")).isEqualTo("${Uploads}");
        List<Map<String, Object>> statements = Cfn.statements(asMap(policy.get("PolicyDocument")));
        List<Map<String, Object>> expected = Expected.concat(
                // TLS only, and TLS 1.2 or newer
                Expected.tlsOnly(BUCKET),
                List.of(
                        // nobody reads incoming/ but the enforcer
                        denyUnless("DenyReadingIncomingExceptEnforcer", "s3:GetObject*", INCOMING, ENFORCER),
                        // nobody writes incoming/ but the signer's presigned PUTs
                        denyUnless("DenyUploadingExceptSigner", "s3:PutObject*", INCOMING, SIGNER),
                        // nobody writes served/ but the enforcer (promotion)
                        denyUnless("DenyWritingServedExceptEnforcer", "s3:PutObject*", SERVED, ENFORCER),
                        // nothing is written outside the three prefixes
                        statement(
                                "DenyWritingOutsideTheLayout",
                                "Deny",
                                Map.of("AWS", "*"),
                                List.of("s3:PutObject*"),
                                null,
                                List.of(INCOMING, SERVED, QUARANTINE),
                                null)),
                // the quarantine: read and purged by the enforcer and the admin only, written by the enforcer only
                Expected.quarantineStatements(BUCKET, QUARANTINE, ENFORCER, ADMIN));
        assertThat(statements).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void noPrincipalGetsPublicOrWildcardAllows() {
        for (Map<String, Object> st : Cfn.statements(
                asMap(cfn.properties("AWS::S3::BucketPolicy", "UploadsPolicy").get("PolicyDocument")))) {
            if ("Allow".equals(st.get("Effect"))) {
                assertThat(String.valueOf(st.get("Principal"))).doesNotContain("*");
                assertThat(st.get("Action").toString()).doesNotContain("*");
            }
        }
    }

    // ---------------------------------------------------------------- queues

    @Test
    void eventsQueueWithRedriveRetentionSizeAndVisibility() {
        assertThat(cfn.ofType("AWS::SQS::Queue")).containsOnlyKeys("EventsQueue", "EventsDeadLetterQueue");
        Map<String, Object> events = cfn.properties("AWS::SQS::Queue", "EventsQueue");
        assertThat(events)
                .isEqualTo(Map.of(
                        "QueueName",
                        "uploadguard-events",
                        "VisibilityTimeout",
                        120,
                        "MessageRetentionPeriod",
                        345_600,
                        "MaximumMessageSize",
                        262_144,
                        "RedrivePolicy",
                        Map.of("deadLetterTargetArn", DLQ, "maxReceiveCount", 5),
                        "SqsManagedSseEnabled",
                        true));
        Map<String, Object> dlq = cfn.properties("AWS::SQS::Queue", "EventsDeadLetterQueue");
        assertThat(dlq)
                .isEqualTo(Map.of(
                        "QueueName",
                        "uploadguard-events-dlq",
                        "MessageRetentionPeriod",
                        1_209_600,
                        "MaximumMessageSize",
                        262_144,
                        "SqsManagedSseEnabled",
                        true));
    }

    /** The visibility timeout must outlast the enforcer's work on a message, shutdown included. */
    @Test
    @SuppressWarnings("unchecked")
    void visibilityTimeoutIsAboveTheEnforcersProcessingAndShutdownTime() {
        Path yml = ProjectFiles.root().resolve("enforcer/src/main/resources/application.yml");
        Map<String, Object> config = new Yaml().load(ProjectFiles.read(yml));
        Map<String, Object> spring = (Map<String, Object>) config.get("spring");
        String perPhase = (String) ((Map<String, Object>) spring.get("lifecycle")).get("timeout-per-shutdown-phase");
        Duration shutdown = Duration.parse("PT" + perPhase.toUpperCase());
        int visibility =
                (Integer) cfn.properties("AWS::SQS::Queue", "EventsQueue").get("VisibilityTimeout");
        assertThat(Duration.ofSeconds(visibility)).isGreaterThan(shutdown.multipliedBy(2));
        assertThat(visibility).isGreaterThanOrEqualTo(6 * UploadGuardSettings.ENFORCER_LAMBDA_TIMEOUT_SECONDS);
    }

    @Test
    void queuePolicyLetsOnlyThisBucketSend() {
        Map<String, Object> policy = cfn.properties("AWS::SQS::QueuePolicy", "EventsQueuePolicy");
        assertThat(policy.get("Queues")).isEqualTo(List.of("${EventsQueue}"));
        Map<String, Object> notFromBucketNorAdmin = new TreeMap<>();
        notFromBucketNorAdmin.put("aws:SourceArn", List.of(BUCKET));
        notFromBucketNorAdmin.put("aws:PrincipalArn", List.of(ADMIN));
        assertThat(Cfn.statements(asMap(policy.get("PolicyDocument"))))
                .containsExactlyInAnyOrder(
                        deny(null, "sqs:*", List.of(EVENTS), "Bool", "aws:SecureTransport", List.of("false")),
                        statement(
                                null,
                                "Allow",
                                Map.of("Service", "s3.amazonaws.com"),
                                List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"),
                                List.of(EVENTS),
                                null,
                                Map.of("ArnLike", Map.of("aws:SourceArn", List.of(BUCKET)))),
                        statement(
                                "DenySendingExceptFromTheUploadBucket",
                                "Deny",
                                Map.of("AWS", "*"),
                                List.of("sqs:SendMessage"),
                                List.of(EVENTS),
                                null,
                                Map.of("ArnNotEquals", notFromBucketNorAdmin)));
        Map<String, Object> dlqPolicy = cfn.properties("AWS::SQS::QueuePolicy", "EventsDeadLetterQueuePolicy");
        assertThat(Cfn.statements(asMap(dlqPolicy.get("PolicyDocument"))))
                .containsExactly(deny(null, "sqs:*", List.of(DLQ), "Bool", "aws:SecureTransport", List.of("false")));
    }

    // ---------------------------------------------------------------- notifications

    @Test
    void notificationsCreatedAndRemovedUnderIncomingRemovedUnderServedOnly() {
        Map<String, Object> notifications = cfn.properties("Custom::S3BucketNotifications", "UploadsNotifications");
        assertThat(notifications.get("BucketName")).isEqualTo("${Uploads}");
        Map<String, Object> configuration = asMap(notifications.get("NotificationConfiguration"));
        assertThat(configuration).containsOnlyKeys("QueueConfigurations");
        assertThat((List<Object>) configuration.get("QueueConfigurations"))
                .containsExactlyInAnyOrder(
                        queueConfiguration("s3:ObjectCreated:*", "incoming/"),
                        queueConfiguration("s3:ObjectRemoved:*", "incoming/"),
                        queueConfiguration("s3:ObjectRemoved:*", "served/"));
        // the enforcer's own writes to served/ and quarantine/ must not trigger enforcement again
        assertThat(configuration.toString()).doesNotContain("quarantine/");
    }

    static Map<String, Object> queueConfiguration(String event, String prefix) {
        return Map.of(
                "Events",
                List.of(event),
                "Filter",
                Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", prefix)))),
                "QueueArn",
                EVENTS);
    }

    // ---------------------------------------------------------------- IAM

    @Test
    void theSignerMayOnlyPutAndManageItsMultipartUploadsUnderIncoming() {
        assertThat(cfn.allowedFor("SignerRole")).containsExactlyInAnyOrderElementsOf(signerAllows(INCOMING));
        template.hasResourceProperties(
                "AWS::IAM::Role", roleAssumedBy("UploadGuard signer.*", Map.of("Service", "ecs-tasks.amazonaws.com")));
    }

    @Test
    void theEnforcerMayReadCopyDeleteWhereItMustAndConsumeTheQueue() {
        assertThat(cfn.allowedFor("EnforcerRole"))
                .containsExactlyInAnyOrderElementsOf(enforcerAllows(QUARANTINE, List.of(BUCKET)));
    }

    /**
     * PutObject covers a single PUT and a multipart upload's create, parts and completion; listing
     * the parts and aborting are the signer's own multipart calls (issue 16). Nothing else.
     */
    static Set<String> signerAllows(String incomingObjects) {
        return new TreeSet<>(Set.of(
                "s3:PutObject " + incomingObjects,
                "s3:ListMultipartUploadParts " + incomingObjects,
                "s3:AbortMultipartUpload " + incomingObjects));
    }

    static Set<String> enforcerAllows(String quarantineObjects, List<String> buckets) {
        Set<String> expected = new TreeSet<>(Set.of(
                "s3:GetObject " + INCOMING,
                "s3:DeleteObject " + INCOMING,
                "s3:GetObject " + SERVED,
                "s3:PutObject " + SERVED,
                // the admin API (in the enforcer service) deletes the served copy to undo a release
                "s3:DeleteObject " + SERVED,
                "s3:GetObject " + quarantineObjects,
                "s3:PutObject " + quarantineObjects,
                "s3:DeleteObject " + quarantineObjects,
                "sqs:ReceiveMessage " + EVENTS,
                "sqs:DeleteMessage " + EVENTS,
                "sqs:ChangeMessageVisibility " + EVENTS,
                "sqs:GetQueueAttributes " + EVENTS,
                "sqs:GetQueueUrl " + EVENTS,
                "sqs:GetQueueAttributes " + DLQ,
                "sqs:GetQueueUrl " + DLQ));
        // HEAD of a missing key answers 404 (not 403) only with s3:ListBucket: the enforcer's
        // "already moved / already gone" recovery depends on it
        buckets.forEach(b -> expected.add("s3:ListBucket " + b));
        // the releaser aborts abandoned multipart uploads under incoming/
        expected.add("s3:AbortMultipartUpload " + INCOMING);
        // a copy over 5 GB is a multipart upload at the destination: aborted on failure, and one a
        // crashed attempt left open is found by listing the bucket's open uploads
        expected.add("s3:AbortMultipartUpload " + SERVED);
        expected.add("s3:AbortMultipartUpload " + quarantineObjects);
        buckets.forEach(b -> expected.add("s3:ListBucketMultipartUploads " + b));
        return expected;
    }

    @Test
    void theAdminRoleHasNoIdentityPoliciesItsRightsAreInTheBucketPolicy() {
        assertThat(cfn.allowedFor("AdminRole")).isEmpty();
        template.hasResourceProperties(
                "AWS::IAM::Role", roleAssumedBy("UploadGuard admin.*", Map.of("AWS", Match.anyValue())));
    }

    /** Besides the three roles, only CDK's notification-configuring function has a role, scoped to this bucket. */
    @Test
    void nothingElseHasPermissions() {
        assertThat(cfn.ofType("AWS::IAM::Role").keySet())
                .containsExactlyInAnyOrder(
                        "SignerRole",
                        "EnforcerRole",
                        "AdminRole",
                        "BucketNotificationsHandler050a0587b7544547bf325f094a3db834Role");
        assertThat(cfn.ofType("AWS::IAM::Policy").keySet())
                .containsExactlyInAnyOrder(
                        "SignerRoleDefaultPolicy", "EnforcerRoleDefaultPolicy", "UploadsNotificationsHandlerPolicy");
        assertThat(cfn.allowedFor("BucketNotificationsHandler050a0587b7544547bf325f094a3db834Role"))
                .containsExactlyInAnyOrder(
                        "s3:PutBucketNotification " + BUCKET,
                        "managed:arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assertThat(cfn.ofType("AWS::IAM::ManagedPolicy")).isEmpty();
        assertThat(cfn.ofType("AWS::IAM::User")).isEmpty();
        assertThat(cfn.ofType("AWS::Lambda::Function"))
                .containsOnlyKeys("BucketNotificationsHandler050a0587b7544547bf325f094a3db834");
    }

    // ---------------------------------------------------------------- alarms

    @Test
    void alarmWhenTheDeadLetterQueueIsNotEmpty() {
        Map<String, Object> alarm = cfn.properties("AWS::CloudWatch::Alarm", "DeadLetterQueueNotEmpty");
        assertThat(alarm)
                .containsEntry("Namespace", "AWS/SQS")
                .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                .containsEntry(
                        "Dimensions",
                        List.of(Map.of("Name", "QueueName", "Value", "${EventsDeadLetterQueue.QueueName}")))
                .containsEntry("Statistic", "Maximum")
                .containsEntry("Period", 60)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("Threshold", 1)
                .containsEntry("EvaluationPeriods", 1)
                .containsEntry("TreatMissingData", "notBreaching")
                .containsEntry("AlarmActions", List.of("${Alarms}"))
                .containsEntry("OKActions", List.of("${Alarms}"));
    }

    @Test
    void alarmWhenTheOldestEventIsTooOld() {
        Map<String, Object> alarm = cfn.properties("AWS::CloudWatch::Alarm", "OldestEventTooOld");
        assertThat(alarm)
                .containsEntry("Namespace", "AWS/SQS")
                .containsEntry("MetricName", "ApproximateAgeOfOldestMessage")
                .containsEntry("Dimensions", List.of(Map.of("Name", "QueueName", "Value", "${EventsQueue.QueueName}")))
                .containsEntry("Statistic", "Maximum")
                .containsEntry("Period", 60)
                .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("Threshold", 300)
                .containsEntry("EvaluationPeriods", 2)
                .containsEntry("AlarmActions", List.of("${Alarms}"));
        assertThat(cfn.ofType("AWS::CloudWatch::Alarm"))
                .containsOnlyKeys("DeadLetterQueueNotEmpty", "OldestEventTooOld");
        assertThat(cfn.ofType("AWS::SNS::Subscription")).isEmpty();
    }

    @Test
    void outputsNameWhatTheServicesNeed() {
        assertThat(cfn.outputs())
                .containsOnlyKeys(
                        "BucketName",
                        "QuarantineBucketName",
                        "EventsQueueUrl",
                        "DeadLetterQueueUrl",
                        "SignerRoleArn",
                        "EnforcerRoleArn",
                        "AdminRoleArn",
                        "AlarmTopicArn");
        assertThat(cfn.outputs().get("BucketName")).isEqualTo(Map.of("Value", "${Uploads}"));
        assertThat(cfn.outputs().get("QuarantineBucketName")).isEqualTo(Map.of("Value", "${Uploads}"));
    }
}
