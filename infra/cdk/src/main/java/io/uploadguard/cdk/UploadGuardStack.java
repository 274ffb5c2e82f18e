package io.uploadguard.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.FromRoleArnOptions;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The UploadGuard stack: the upload bucket (fail-closed: nothing under the incoming or quarantine
 * prefix is readable but by the enforcer, and the admin role for the quarantine), the events queue
 * and its dead-letter queue, S3 event notifications, least-privilege roles for the signer and the
 * enforcer, CloudWatch alarms, and optionally both services as Lambda functions.
 *
 * <p>Names and settings shared with the docker-compose/LocalStack setup are checked against
 * {@code infra/localstack} by {@code LocalStackConsistencyTest}.
 */
public class UploadGuardStack extends Stack {

    /** Headers the signer signs into a presigned PUT that a browser sends: CORS must allow them. */
    public static final List<String> SIGNED_HEADERS = List.of(
            "content-type", "if-none-match", "x-amz-meta-user-id", "x-amz-meta-upload-id", "x-amz-checksum-sha256");

    /** Response headers a browser script may read after the PUT. */
    public static final List<String> EXPOSED_HEADERS = List.of("ETag");

    public static final String HANDLER =
            "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";

    private final UploadGuardSettings settings;
    private final Bucket uploads;
    private final Bucket quarantine;
    private final Queue events;
    private final Queue deadLetters;
    private final Role signerRole;
    private final Role enforcerRole;
    private final IRole adminRole;
    private final Topic alarms;

    public UploadGuardStack(Construct scope, String id, StackProps props, UploadGuardSettings settings) {
        super(scope, id, props);
        this.settings = settings;

        IPrincipal compute = settings.lambdas()
                ? new ServicePrincipal("lambda.amazonaws.com")
                : new ServicePrincipal(settings.servicePrincipal());
        signerRole = Role.Builder.create(this, "SignerRole")
                .assumedBy(compute)
                .description("UploadGuard signer: presigns PUTs under the incoming prefix, nothing else")
                .build();
        enforcerRole = Role.Builder.create(this, "EnforcerRole")
                .assumedBy(compute)
                .description("UploadGuard enforcer: inspects, promotes, quarantines, consumes the events queue")
                .build();
        adminRole = settings.adminRoleArn() == null
                ? Role.Builder.create(this, "AdminRole")
                        .assumedBy(new AccountRootPrincipal())
                        .description(
                                "UploadGuard admin: may read and purge the quarantine (granted by the bucket policy)")
                        .build()
                : Role.fromRoleArn(
                        this,
                        "AdminRole",
                        settings.adminRoleArn(),
                        FromRoleArnOptions.builder().mutable(false).build());

        uploads = Bucket.Builder.create(this, "Uploads")
                .bucketName(settings.bucketName())
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(false)
                .removalPolicy(RemovalPolicy.RETAIN)
                .cors(List.of(CorsRule.builder()
                        .id("presigned-put")
                        .allowedMethods(List.of(HttpMethods.PUT))
                        .allowedOrigins(settings.corsOrigins())
                        .allowedHeaders(SIGNED_HEADERS)
                        .exposedHeaders(EXPOSED_HEADERS)
                        .maxAge(settings.corsMaxAgeSeconds())
                        .build()))
                .lifecycleRules(uploadLifecycle())
                .build();

        if (settings.separateQuarantineBucket()) {
            quarantine = Bucket.Builder.create(this, "Quarantine")
                    .bucketName(settings.quarantineBucketName())
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .encryption(BucketEncryption.S3_MANAGED)
                    .enforceSsl(true)
                    .minimumTlsVersion(1.2)
                    .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                    .versioned(false)
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .lifecycleRules(List.of(abortMultipart(), expireQuarantine()))
                    .build();
        } else {
            quarantine = uploads;
        }

        deadLetters = Queue.Builder.create(this, "EventsDeadLetterQueue")
                .queueName(settings.deadLetterQueueName())
                .retentionPeriod(Duration.days(settings.deadLetterRetentionDays()))
                .maxMessageSizeBytes(settings.maxMessageSizeBytes())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        events = Queue.Builder.create(this, "EventsQueue")
                .queueName(settings.eventsQueueName())
                .visibilityTimeout(Duration.seconds(settings.visibilityTimeoutSeconds()))
                .retentionPeriod(Duration.days(settings.eventsRetentionDays()))
                .maxMessageSizeBytes(settings.maxMessageSizeBytes())
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters)
                        .maxReceiveCount(settings.maxReceiveCount())
                        .build())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        bucketPolicy();
        notifications();
        queuePolicy();
        signerPermissions();
        enforcerPermissions();
        alarms = alarms();
        if (settings.lambdas()) {
            lambdas();
        }
        outputs();
    }

    // ---------------------------------------------------------------- bucket

    private List<LifecycleRule> uploadLifecycle() {
        List<LifecycleRule> rules = new ArrayList<>();
        rules.add(abortMultipart());
        rules.add(LifecycleRule.builder()
                .id("expire-unsettled-incoming")
                .prefix(settings.incomingPrefix())
                .expiration(Duration.days(settings.incomingExpiryDays()))
                .build());
        if (settings.quarantineInUploadBucket()) {
            rules.add(expireQuarantine());
        }
        return rules;
    }

    private LifecycleRule abortMultipart() {
        return LifecycleRule.builder()
                .id("abort-incomplete-multipart-uploads")
                .abortIncompleteMultipartUploadAfter(Duration.days(settings.abortMultipartDays()))
                .build();
    }

    private LifecycleRule expireQuarantine() {
        return LifecycleRule.builder()
                .id("expire-quarantine")
                .prefix(settings.quarantinePrefix())
                .expiration(Duration.days(settings.quarantineExpiryDays()))
                .build();
    }

    private String incomingObjects() {
        return uploads.arnForObjects(settings.incomingPrefix() + "*");
    }

    private String servedObjects() {
        return uploads.arnForObjects(settings.servedPrefix() + "*");
    }

    private String quarantineObjects() {
        return quarantine.arnForObjects(settings.quarantinePrefix() + "*");
    }

    /**
     * Fail-closed resource policy. Explicit denies win over any identity policy in the account, so
     * even an administrator's credentials cannot read uploads that were not inspected yet.
     */
    private void bucketPolicy() {
        String signer = signerRole.getRoleArn();
        String enforcer = enforcerRole.getRoleArn();
        String admin = adminRole.getRoleArn();

        uploads.addToResourcePolicy(denyUnless(
                "DenyReadingIncomingExceptEnforcer",
                List.of("s3:GetObject*"),
                List.of(incomingObjects()),
                List.of(enforcer)));
        uploads.addToResourcePolicy(denyUnless(
                "DenyUploadingExceptSigner", List.of("s3:PutObject*"), List.of(incomingObjects()), List.of(signer)));
        uploads.addToResourcePolicy(denyUnless(
                "DenyWritingServedExceptEnforcer",
                List.of("s3:PutObject*"),
                List.of(servedObjects()),
                List.of(enforcer)));

        List<String> known = new ArrayList<>(List.of(incomingObjects(), servedObjects()));
        if (settings.quarantineInUploadBucket()) {
            known.add(quarantineObjects());
        }
        uploads.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("DenyWritingOutsideTheLayout")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("s3:PutObject*"))
                .notResources(known)
                .build());

        quarantine.addToResourcePolicy(denyUnless(
                "DenyReadingQuarantineExceptEnforcerAndAdmin",
                List.of("s3:GetObject*"),
                List.of(quarantineObjects()),
                List.of(enforcer, admin)));
        quarantine.addToResourcePolicy(denyUnless(
                "DenyWritingQuarantineExceptEnforcer",
                List.of("s3:PutObject*"),
                List.of(quarantineObjects()),
                List.of(enforcer)));
        quarantine.addToResourcePolicy(denyUnless(
                "DenyDeletingQuarantineExceptEnforcerAndAdmin",
                List.of("s3:DeleteObject*"),
                List.of(quarantineObjects()),
                List.of(enforcer, admin)));
        if (!settings.quarantineInUploadBucket()) {
            quarantine.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("DenyWritingOutsideTheQuarantinePrefix")
                    .effect(Effect.DENY)
                    .principals(List.of(new AnyPrincipal()))
                    .actions(List.of("s3:PutObject*"))
                    .notResources(List.of(quarantineObjects()))
                    .build());
        }

        // the admin role's rights come from here, so an existing role passed by ARN works unchanged
        quarantine.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowAdminToReviewAndPurgeQuarantine")
                .effect(Effect.ALLOW)
                .principals(List.of(new ArnPrincipal(admin)))
                .actions(List.of("s3:GetObject", "s3:DeleteObject"))
                .resources(List.of(quarantineObjects()))
                .build());
        quarantine.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowAdminToListQuarantine")
                .effect(Effect.ALLOW)
                .principals(List.of(new ArnPrincipal(admin)))
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(quarantine.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", settings.quarantinePrefix() + "*")))
                .build());

        if (settings.readerPrincipalArn() != null) {
            uploads.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowReaderToReadServed")
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ArnPrincipal(settings.readerPrincipalArn())))
                    .actions(List.of("s3:GetObject"))
                    .resources(List.of(servedObjects()))
                    .build());
        }
    }

    private static PolicyStatement denyUnless(
            String sid, List<String> actions, List<String> resources, List<String> exceptPrincipalArns) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(actions)
                .resources(resources)
                .conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", exceptPrincipalArns)))
                .build();
    }

    // ---------------------------------------------------------------- events

    /**
     * Created and removed under the incoming prefix, and removed under the served prefix (deleting
     * an accepted object gives its bytes back to its owner). The enforcer's own writes to the
     * served and quarantine prefixes send nothing, so enforcement never triggers itself.
     */
    private void notifications() {
        SqsDestination destination = new SqsDestination(events);
        uploads.addEventNotification(
                EventType.OBJECT_CREATED,
                destination,
                NotificationKeyFilter.builder()
                        .prefix(settings.incomingPrefix())
                        .build());
        uploads.addEventNotification(
                EventType.OBJECT_REMOVED,
                destination,
                NotificationKeyFilter.builder()
                        .prefix(settings.incomingPrefix())
                        .build());
        uploads.addEventNotification(
                EventType.OBJECT_REMOVED,
                destination,
                NotificationKeyFilter.builder().prefix(settings.servedPrefix()).build());
    }

    /** S3 (this bucket only) may send; CDK's SqsDestination adds the matching Allow. */
    private void queuePolicy() {
        Map<String, Object> notFromThisBucketNorAdmin = new LinkedHashMap<>();
        notFromThisBucketNorAdmin.put("aws:SourceArn", uploads.getBucketArn());
        // the admin may move messages back from the dead-letter queue (a redrive sends as the caller)
        notFromThisBucketNorAdmin.put("aws:PrincipalArn", adminRole.getRoleArn());
        events.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("DenySendingExceptFromTheUploadBucket")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(events.getQueueArn()))
                .conditions(Map.of("ArnNotEquals", notFromThisBucketNorAdmin))
                .build());
    }

    // ---------------------------------------------------------------- IAM

    private void signerPermissions() {
        // presigning is local; the PUT that follows runs with these rights, and with these only
        signerRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("PresignUploadsUnderIncoming")
                .actions(List.of("s3:PutObject"))
                .resources(List.of(incomingObjects()))
                .build());
    }

    private void enforcerPermissions() {
        enforcerRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("InspectAndRemoveIncoming")
                .actions(List.of("s3:GetObject", "s3:DeleteObject"))
                .resources(List.of(incomingObjects()))
                .build());
        enforcerRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("PromoteToServed")
                .actions(List.of("s3:GetObject", "s3:PutObject"))
                .resources(List.of(servedObjects()))
                .build());
        enforcerRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("Quarantine")
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"))
                .resources(List.of(quarantineObjects()))
                .build());
        // Without s3:ListBucket, S3 answers 403 instead of 404 to a HEAD of a missing key, and the
        // enforcer's "already gone / already moved" recovery would fail into the dead-letter queue.
        List<String> buckets = new ArrayList<>(List.of(uploads.getBucketArn()));
        if (!settings.quarantineInUploadBucket()) {
            buckets.add(quarantine.getBucketArn());
        }
        enforcerRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("HeadOfMissingKeysAnswers404")
                .actions(List.of("s3:ListBucket"))
                .resources(buckets)
                .build());
        enforcerRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("ConsumeEvents")
                .actions(List.of(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                        "sqs:GetQueueUrl"))
                .resources(List.of(events.getQueueArn()))
                .build());
        enforcerRole.addToPolicy(PolicyStatement.Builder.create()
                .sid("WatchDeadLetterDepth")
                .actions(List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl"))
                .resources(List.of(deadLetters.getQueueArn()))
                .build());
    }

    // ---------------------------------------------------------------- alarms

    private Topic alarms() {
        Topic topic = Topic.Builder.create(this, "Alarms")
                .displayName("UploadGuard alarms")
                .enforceSsl(true)
                .build();
        if (settings.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }
        Alarm dlq = Alarm.Builder.create(this, "DeadLetterQueueNotEmpty")
                .alarmDescription("UploadGuard: events that failed " + settings.maxReceiveCount()
                        + " times are waiting in " + settings.deadLetterQueueName() + "; see docs/infra.md")
                .metric(deadLetters.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(1))
                        .statistic("Maximum")
                        .build()))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        Alarm age = Alarm.Builder.create(this, "OldestEventTooOld")
                .alarmDescription(
                        "UploadGuard: the oldest event in " + settings.eventsQueueName() + " waits longer than "
                                + settings.oldestMessageAgeAlarmSeconds() + " s: the enforcer is down or too slow")
                .metric(events.metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                        .period(Duration.minutes(1))
                        .statistic("Maximum")
                        .build()))
                .threshold(settings.oldestMessageAgeAlarmSeconds())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(2)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        for (Alarm alarm : List.of(dlq, age)) {
            alarm.addAlarmAction(new SnsAction(topic));
            alarm.addOkAction(new SnsAction(topic));
        }
        return topic;
    }

    // ---------------------------------------------------------------- Lambdas (optional)

    private void lambdas() {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("UPLOADGUARD_BUCKET", uploads.getBucketName());
        common.put("UPLOADGUARD_EVENTS_QUEUE", events.getQueueName());
        common.put("UPLOADGUARD_DEAD_LETTER_QUEUE", deadLetters.getQueueName());
        common.put("UPLOADGUARD_LAYOUT_INCOMING_PREFIX", settings.incomingPrefix());
        common.put("UPLOADGUARD_LAYOUT_SERVED_PREFIX", settings.servedPrefix());
        common.put("UPLOADGUARD_LAYOUT_QUARANTINE_PREFIX", settings.quarantinePrefix());
        if (!settings.quarantineInUploadBucket()) {
            common.put("UPLOADGUARD_ENFORCER_QUARANTINE_BUCKET", quarantine.getBucketName());
        }
        if (settings.datasourceUrl() != null) {
            common.put("SPRING_DATASOURCE_URL", settings.datasourceUrl());
        }
        if (settings.datasourceUsername() != null) {
            common.put("SPRING_DATASOURCE_USERNAME", settings.datasourceUsername());
        }
        if (settings.datasourcePasswordSecret() != null) {
            // resolved by CloudFormation at deploy time: the functions need no Secrets Manager rights
            common.put(
                    "SPRING_DATASOURCE_PASSWORD",
                    "{{resolve:secretsmanager:" + settings.datasourcePasswordSecret() + ":SecretString:password}}");
        }
        // fast start for short-lived JVMs
        common.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");

        for (Role role : List.of(signerRole, enforcerRole)) {
            role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole"));
        }

        Map<String, String> signerEnv = new LinkedHashMap<>(common);
        signerEnv.put("MAIN_CLASS", "io.uploadguard.signer.SignerApplication");
        signerEnv.put("SPRING_CLOUD_FUNCTION_DEFINITION", "uploadsApi");
        Function signer = Function.Builder.create(this, "SignerFunction")
                .description("UploadGuard signer (Spring Cloud Function: uploadsApi)")
                .runtime(Runtime.JAVA_17)
                .handler(HANDLER)
                .code(Code.fromAsset(settings.signerLambdaJar()))
                .memorySize(2048)
                .timeout(Duration.seconds(30))
                .role(signerRole)
                .environment(signerEnv)
                .build();

        Map<String, String> enforcerEnv = new LinkedHashMap<>(common);
        enforcerEnv.put("MAIN_CLASS", "io.uploadguard.enforcer.EnforcerApplication");
        enforcerEnv.put("SPRING_CLOUD_FUNCTION_DEFINITION", "enforceS3Events");
        Function enforcer = Function.Builder.create(this, "EnforcerFunction")
                .description("UploadGuard enforcer (Spring Cloud Function: enforceS3Events)")
                .runtime(Runtime.JAVA_17)
                .handler(HANDLER)
                .code(Code.fromAsset(settings.enforcerLambdaJar()))
                .memorySize(2048)
                .timeout(Duration.seconds(UploadGuardSettings.ENFORCER_LAMBDA_TIMEOUT_SECONDS))
                .role(enforcerRole)
                .environment(enforcerEnv)
                .build();
        enforcer.addEventSource(SqsEventSource.Builder.create(events)
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());

        HttpApi api = HttpApi.Builder.create(this, "SignerApi")
                .description("UploadGuard signer: POST /uploads, GET /uploads/{id}")
                .defaultAuthorizer(HttpJwtAuthorizer.Builder.create("Jwt", settings.jwtIssuer())
                        .jwtAudience(settings.jwtAudiences())
                        .build())
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(settings.corsOrigins())
                        .allowMethods(List.of(CorsHttpMethod.POST, CorsHttpMethod.GET))
                        .allowHeaders(List.of("authorization", "content-type"))
                        .build())
                .build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("Signer", signer);
        api.addRoutes(AddRoutesOptions.builder()
                .path("/uploads")
                .methods(List.of(HttpMethod.POST))
                .integration(integration)
                .build());
        api.addRoutes(AddRoutesOptions.builder()
                .path("/uploads/{id}")
                .methods(List.of(HttpMethod.GET))
                .integration(integration)
                .build());
        CfnOutput.Builder.create(this, "SignerApiUrl")
                .value(api.getApiEndpoint())
                .build();
    }

    // ---------------------------------------------------------------- outputs

    private void outputs() {
        CfnOutput.Builder.create(this, "BucketName")
                .value(uploads.getBucketName())
                .build();
        CfnOutput.Builder.create(this, "QuarantineBucketName")
                .value(quarantine.getBucketName())
                .build();
        CfnOutput.Builder.create(this, "EventsQueueUrl")
                .value(events.getQueueUrl())
                .build();
        CfnOutput.Builder.create(this, "DeadLetterQueueUrl")
                .value(deadLetters.getQueueUrl())
                .build();
        CfnOutput.Builder.create(this, "SignerRoleArn")
                .value(signerRole.getRoleArn())
                .build();
        CfnOutput.Builder.create(this, "EnforcerRoleArn")
                .value(enforcerRole.getRoleArn())
                .build();
        CfnOutput.Builder.create(this, "AdminRoleArn")
                .value(adminRole.getRoleArn())
                .build();
        CfnOutput.Builder.create(this, "AlarmTopicArn")
                .value(alarms.getTopicArn())
                .build();
    }
}
