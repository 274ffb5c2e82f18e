package io.uploadguard.cdk;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The UploadGuard stack: the upload bucket (fail-closed: nothing under the incoming or quarantine
 * prefix is readable but by the enforcer, and the admin role for the quarantine), the events queue
 * and its dead-letter queue, S3 event notifications, least-privilege roles for the signer and the
 * enforcer, CloudWatch alarms, and optionally the services' compute (Lambda or Fargate) and their
 * database (Aurora PostgreSQL in a VPC).
 *
 * <p>Each part is built by a class of its own ({@link UploadStorage}, {@link FailClosedBucketPolicy},
 * {@link EventQueues}, {@link ServiceRoles}, {@link NotificationTargets}, {@link QueueAlarms}, {@link Network}, {@link Database},
 * {@link ServiceFunctions}, {@link FargateServices}); they
 * create their resources with this stack as scope, so logical ids do not depend on that split. The
 * order below is the order of the resources in the template.
 *
 * <p>Names and settings shared with the docker-compose/LocalStack setup are checked against
 * {@code infra/localstack} by {@code LocalStackConsistencyTest}.
 */
public class UploadGuardStack extends Stack {

    public UploadGuardStack(Construct scope, String id, StackProps props, UploadGuardSettings settings) {
        super(scope, id, props);
        ServiceRoles roles = new ServiceRoles(this, settings);
        UploadStorage storage = new UploadStorage(this, settings);
        EventQueues queues = new EventQueues(this, settings);
        FailClosedBucketPolicy.apply(settings, storage, roles);
        queues.notifiedBy(storage, settings, roles);
        roles.grantServices(storage, queues);
        NotificationTargets notifications = new NotificationTargets(this, settings.notificationsOptions());
        notifications.grantSend(roles.enforcer());
        QueueAlarms alarms = new QueueAlarms(this, settings, queues);
        Network network = settings.needsNetwork() ? new Network(this, settings) : null;
        DatabaseAccess database = settings.createsDatabase()
                ? new Database(this, settings.databaseOptions(), network).access(settings.databaseOptions())
                : DatabaseAccess.external(this, settings);
        ServiceParts parts = new ServiceParts(storage, queues, roles, notifications);
        switch (settings.compute()) {
            case LAMBDA -> ServiceFunctions.deploy(this, settings, parts, network, database);
            case FARGATE -> FargateServices.deploy(this, settings, parts, network, database);
            case NONE -> {
                // roles only: the services run elsewhere
            }
        }

        // what the services and the operators need to know (docs/infra.md, "Deploy to AWS")
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("BucketName", storage.uploads().getBucketName());
        outputs.put("QuarantineBucketName", storage.quarantine().getBucketName());
        outputs.put("EventsQueueUrl", queues.events().getQueueUrl());
        outputs.put("DeadLetterQueueUrl", queues.deadLetters().getQueueUrl());
        outputs.put("SignerRoleArn", roles.signer().getRoleArn());
        outputs.put("EnforcerRoleArn", roles.enforcer().getRoleArn());
        outputs.put("AdminRoleArn", roles.admin().getRoleArn());
        outputs.put("AlarmTopicArn", alarms.topic().getTopicArn());
        if (network != null && settings.compute() == ComputeSettings.Kind.NONE) {
            // your own compute joins these groups to reach the database
            outputs.put("SignerSecurityGroupId", network.signer().getSecurityGroupId());
            outputs.put("EnforcerSecurityGroupId", network.enforcer().getSecurityGroupId());
        }
        outputs.forEach((name, value) ->
                CfnOutput.Builder.create(this, name).value(value).build());
    }
}
