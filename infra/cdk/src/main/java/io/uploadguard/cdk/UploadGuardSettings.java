package io.uploadguard.cdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the stack can be told, with the defaults that match the services' own defaults and
 * the docker-compose/LocalStack setup. Read from CDK context ({@code cdk synth -c key=value}, the
 * {@code context} block of {@code cdk.json}, or {@code synth.sh -c key=value}); see
 * {@code docs/infra.md} for the list.
 *
 * @param stackName CloudFormation stack name
 * @param bucketName upload bucket name; {@code null} lets CloudFormation pick a unique one
 * @param incomingPrefix where signed uploads land (never served)
 * @param servedPrefix where the enforcer promotes accepted objects
 * @param quarantinePrefix where the enforcer copies rejected objects
 * @param separateQuarantineBucket keep the quarantine in a bucket of its own (same prefix inside it)
 * @param quarantineBucketName its name; {@code null} lets CloudFormation pick one
 * @param corsOrigins origins allowed to PUT from a browser
 * @param corsMaxAgeSeconds how long browsers may cache the CORS preflight
 * @param abortMultipartDays incomplete multipart uploads are aborted after this many days
 * @param quarantineExpiryDays quarantined objects are deleted after this many days
 * @param incomingExpiryDays objects still under the incoming prefix (never settled) are deleted after this many days
 * @param eventsQueueName the queue S3 sends events to
 * @param deadLetterQueueName its dead-letter queue
 * @param maxReceiveCount receives before a message moves to the dead-letter queue
 * @param visibilityTimeoutSeconds events queue visibility timeout; above the enforcer's processing time
 * @param eventsRetentionDays events queue retention
 * @param deadLetterRetentionDays dead-letter queue retention
 * @param maxMessageSizeBytes largest message the queues accept
 * @param oldestMessageAgeAlarmSeconds alarm when the oldest event waits longer than this
 * @param adminRoleArn an existing role that may read and purge the quarantine; {@code null} creates one
 * @param readerPrincipalArn a principal allowed to read {@code served/} (e.g. CloudFront's or the app's role); {@code null}: nobody
 * @param servicePrincipal who assumes the signer and enforcer roles with {@code compute=none}
 * @param alarmEmail an address subscribed to the alarm topic; {@code null}: none
 * @param lambdas the older spelling of {@code compute=lambda}
 * @param jwtIssuer issuer of the JWTs the services accept (needed with compute)
 * @param jwtAudiences audiences those JWTs must name (needed with compute)
 * @param datasourceUrl JDBC URL of a database of your own (not with {@code database=aurora})
 * @param datasourceUsername its user
 * @param datasourcePasswordSecret Secrets Manager secret (name or ARN) whose {@code password} field
 *     the services read at start; only its ARN reaches their environment; {@code null}: none
 * @param computeOptions {@code compute} and the settings of each kind of compute
 * @param databaseOptions {@code database} and the settings of the cluster
 * @param notificationsOptions the AWS channels of verdict notifications (event bus, SNS topic)
 */
public record UploadGuardSettings(
        String stackName,
        String bucketName,
        String incomingPrefix,
        String servedPrefix,
        String quarantinePrefix,
        boolean separateQuarantineBucket,
        String quarantineBucketName,
        List<String> corsOrigins,
        int corsMaxAgeSeconds,
        int abortMultipartDays,
        int quarantineExpiryDays,
        int incomingExpiryDays,
        String eventsQueueName,
        String deadLetterQueueName,
        int maxReceiveCount,
        int visibilityTimeoutSeconds,
        int eventsRetentionDays,
        int deadLetterRetentionDays,
        int maxMessageSizeBytes,
        int oldestMessageAgeAlarmSeconds,
        String adminRoleArn,
        String readerPrincipalArn,
        String servicePrincipal,
        String alarmEmail,
        boolean lambdas,
        String jwtIssuer,
        List<String> jwtAudiences,
        String datasourceUrl,
        String datasourceUsername,
        String datasourcePasswordSecret,
        ComputeSettings computeOptions,
        DatabaseSettings databaseOptions,
        NotificationSettings notificationsOptions) {

    /** The enforcer's Lambda timeout; the queue's visibility timeout must be at least six times it. */
    public static final int ENFORCER_LAMBDA_TIMEOUT_SECONDS = 20;

    /** Every context key the stack reads, with its default (as text; empty: none). */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("stackName", "UploadGuard");
        d.put("bucketName", "");
        d.put("incomingPrefix", "incoming/");
        d.put("servedPrefix", "served/");
        d.put("quarantinePrefix", "quarantine/");
        d.put("separateQuarantineBucket", "false");
        d.put("quarantineBucketName", "");
        d.put("corsOrigins", "http://localhost:8080");
        d.put("corsMaxAgeSeconds", "3000");
        d.put("abortMultipartDays", "1");
        d.put("quarantineExpiryDays", "30");
        d.put("incomingExpiryDays", "7");
        d.put("eventsQueueName", "uploadguard-events");
        d.put("deadLetterQueueName", "uploadguard-events-dlq");
        d.put("maxReceiveCount", "5");
        d.put("visibilityTimeoutSeconds", "120");
        d.put("eventsRetentionDays", "4");
        d.put("deadLetterRetentionDays", "14");
        d.put("maxMessageSizeBytes", "262144");
        d.put("oldestMessageAgeAlarmSeconds", "300");
        d.put("adminRoleArn", "");
        d.put("readerPrincipalArn", "");
        d.put("servicePrincipal", "ecs-tasks.amazonaws.com");
        d.put("alarmEmail", "");
        d.put("lambdas", "false");
        d.put("jwtIssuer", "");
        d.put("jwtAudiences", "");
        d.put("datasourceUrl", "");
        d.put("datasourceUsername", "");
        d.put("datasourcePasswordSecret", "");
        d.putAll(ComputeSettings.DEFAULTS);
        d.putAll(DatabaseSettings.DEFAULTS);
        d.putAll(NotificationSettings.DEFAULTS);
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    public UploadGuardSettings {
        Objects.requireNonNull(stackName, "stackName");
        for (String prefix : List.of(incomingPrefix, servedPrefix, quarantinePrefix)) {
            if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")) {
                throw new IllegalArgumentException(
                        "key prefixes must be non-empty, end with '/' and not start with it: " + prefix);
            }
        }
        if (List.of(incomingPrefix, servedPrefix, quarantinePrefix).stream()
                        .distinct()
                        .count()
                != 3) {
            throw new IllegalArgumentException("incoming, served and quarantine prefixes must differ");
        }
        corsOrigins = List.copyOf(corsOrigins);
        jwtAudiences = List.copyOf(jwtAudiences);
        if (corsOrigins.isEmpty()) {
            throw new IllegalArgumentException("corsOrigins: name at least one origin that may PUT uploads");
        }
        positive("maxReceiveCount", maxReceiveCount);
        positive("abortMultipartDays", abortMultipartDays);
        positive("quarantineExpiryDays", quarantineExpiryDays);
        positive("incomingExpiryDays", incomingExpiryDays);
        positive("oldestMessageAgeAlarmSeconds", oldestMessageAgeAlarmSeconds);
        if (maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be at most 1000 (SQS limit)");
        }
        if (visibilityTimeoutSeconds < 6 * ENFORCER_LAMBDA_TIMEOUT_SECONDS || visibilityTimeoutSeconds > 43_200) {
            throw new IllegalArgumentException("visibilityTimeoutSeconds must be between "
                    + 6 * ENFORCER_LAMBDA_TIMEOUT_SECONDS + " (six times the enforcer's processing budget) and 43200");
        }
        if (eventsRetentionDays < 1
                || eventsRetentionDays > 14
                || deadLetterRetentionDays < 1
                || deadLetterRetentionDays > 14) {
            throw new IllegalArgumentException("queue retention must be between 1 and 14 days (SQS limits)");
        }
        if (deadLetterRetentionDays < eventsRetentionDays) {
            // a message's age counts from its first enqueue: a shorter DLQ retention would drop it on arrival
            throw new IllegalArgumentException("deadLetterRetentionDays must not be below eventsRetentionDays");
        }
        if (maxMessageSizeBytes < 65_536 || maxMessageSizeBytes > 262_144) {
            throw new IllegalArgumentException(
                    "maxMessageSizeBytes must be between 65536 and 262144 (S3 events can exceed 64 KB)");
        }
        if (lambdas && computeOptions.kind() == ComputeSettings.Kind.FARGATE) {
            throw new IllegalArgumentException("lambdas=true means compute=lambda: not with compute=fargate");
        }
        // the record's fields are not set yet: compute() would read null here
        if (lambdas || computeOptions.kind() != ComputeSettings.Kind.NONE) {
            if (jwtIssuer == null) {
                throw new IllegalArgumentException("jwtIssuer is required with compute=lambda or fargate");
            }
            if (jwtAudiences.isEmpty()) {
                throw new IllegalArgumentException("jwtAudiences: the services need at least one audience");
            }
        }
        if (databaseOptions.kind() == DatabaseSettings.Kind.AURORA
                && (datasourceUrl != null || datasourceUsername != null || datasourcePasswordSecret != null)) {
            throw new IllegalArgumentException(
                    "database=aurora creates the database: leave datasourceUrl, datasourceUsername and"
                            + " datasourcePasswordSecret unset");
        }
    }

    /** Where the services run; {@code lambdas=true} is {@code compute=lambda}. */
    public ComputeSettings.Kind compute() {
        return lambdas ? ComputeSettings.Kind.LAMBDA : computeOptions.kind();
    }

    /** The stack creates Aurora PostgreSQL. */
    public boolean createsDatabase() {
        return databaseOptions.kind() == DatabaseSettings.Kind.AURORA;
    }

    /** A VPC is created for Fargate tasks and for the database (and then the Lambdas join it). */
    public boolean needsNetwork() {
        return compute() == ComputeSettings.Kind.FARGATE || createsDatabase();
    }

    /** The defaults: what docker-compose runs locally, except the bucket name, which CloudFormation picks. */
    public static UploadGuardSettings defaults() {
        return fromContext(key -> null);
    }

    /** Reads each key from {@code context} (CDK context values: strings, numbers, booleans or lists). */
    public static UploadGuardSettings fromContext(Function<String, Object> context) {
        ContextValues v = new ContextValues(DEFAULTS, context);
        return new UploadGuardSettings(
                v.text("stackName"),
                v.optional("bucketName"),
                v.text("incomingPrefix"),
                v.text("servedPrefix"),
                v.text("quarantinePrefix"),
                v.bool("separateQuarantineBucket"),
                v.optional("quarantineBucketName"),
                v.list("corsOrigins"),
                v.integer("corsMaxAgeSeconds"),
                v.integer("abortMultipartDays"),
                v.integer("quarantineExpiryDays"),
                v.integer("incomingExpiryDays"),
                v.text("eventsQueueName"),
                v.text("deadLetterQueueName"),
                v.integer("maxReceiveCount"),
                v.integer("visibilityTimeoutSeconds"),
                v.integer("eventsRetentionDays"),
                v.integer("deadLetterRetentionDays"),
                v.integer("maxMessageSizeBytes"),
                v.integer("oldestMessageAgeAlarmSeconds"),
                v.optional("adminRoleArn"),
                v.optional("readerPrincipalArn"),
                v.text("servicePrincipal"),
                v.optional("alarmEmail"),
                v.bool("lambdas"),
                v.optional("jwtIssuer"),
                v.list("jwtAudiences"),
                v.optional("datasourceUrl"),
                v.optional("datasourceUsername"),
                v.optional("datasourcePasswordSecret"),
                ComputeSettings.from(v),
                DatabaseSettings.from(v),
                NotificationSettings.from(v));
    }

    /** Where quarantined objects go: the upload bucket unless a separate one is asked for. */
    public boolean quarantineInUploadBucket() {
        return !separateQuarantineBucket;
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1");
        }
    }
}
