package io.uploadguard.cdk;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.FromRoleArnOptions;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/**
 * The signer's, the enforcer's and the admin's roles, and the services' identity policies: each
 * service may make exactly the calls its code makes (S3CallsPolicyTest holds the table). The admin
 * role gets its rights from the bucket policy instead, so an existing role passed by ARN works
 * unchanged.
 *
 * <p>Resources are created with the stack as their scope, so their logical ids stay what they were
 * before this class existed.
 */
final class ServiceRoles {

    private final Role signer;
    private final Role enforcer;
    private final IRole admin;

    ServiceRoles(Stack stack, UploadGuardSettings settings) {
        IPrincipal compute = switch (settings.compute()) {
            case LAMBDA -> new ServicePrincipal("lambda.amazonaws.com");
            // the roles are the Fargate tasks' task roles
            case FARGATE -> new ServicePrincipal("ecs-tasks.amazonaws.com");
            case NONE -> new ServicePrincipal(settings.servicePrincipal());
        };
        signer = Role.Builder.create(stack, "SignerRole")
                .assumedBy(compute)
                .description("UploadGuard signer: presigns PUTs under the incoming prefix, nothing else")
                .build();
        enforcer = Role.Builder.create(stack, "EnforcerRole")
                .assumedBy(compute)
                .description("UploadGuard enforcer: inspects, promotes, quarantines, consumes the events queue")
                .build();
        admin = settings.adminRoleArn() == null
                ? Role.Builder.create(stack, "AdminRole")
                        .assumedBy(new AccountRootPrincipal())
                        .description(
                                "UploadGuard admin: may read and purge the quarantine (granted by the bucket policy)")
                        .build()
                : Role.fromRoleArn(
                        stack,
                        "AdminRole",
                        settings.adminRoleArn(),
                        FromRoleArnOptions.builder().mutable(false).build());
    }

    Role signer() {
        return signer;
    }

    Role enforcer() {
        return enforcer;
    }

    IRole admin() {
        return admin;
    }

    /** Both services' identity policies; nothing else in the account is granted anything here. */
    void grantServices(UploadStorage storage, EventQueues queues) {
        // presigning is local; the PUT that follows runs with these rights, and with these only
        allow(signer, "PresignUploadsUnderIncoming", List.of("s3:PutObject"), List.of(storage.incomingObjects()));
        // multipart (issue 16): s3:PutObject above covers create, the presigned parts and complete;
        // the signer lists the parts before completing, and aborts on the owner's request
        allow(
                signer,
                "ListAndAbortMultipartUnderIncoming",
                List.of("s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"),
                List.of(storage.incomingObjects()));

        allow(
                enforcer,
                "InspectAndRemoveIncoming",
                List.of("s3:GetObject", "s3:DeleteObject"),
                List.of(storage.incomingObjects()));
        // the releaser aborts multipart uploads left open past their expiry (the lifecycle rule is the backstop)
        allow(
                enforcer,
                "AbortAbandonedMultipartUnderIncoming",
                List.of("s3:AbortMultipartUpload"),
                List.of(storage.incomingObjects()));
        allow(enforcer, "PromoteToServed", List.of("s3:GetObject", "s3:PutObject"), List.of(storage.servedObjects()));
        // The admin API runs in the enforcer service, under this role: when the booking of a release
        // refuses after the move (quota grew, or a purge raced it), the served copy goes (issue 12).
        // No other role of this stack may delete under served/.
        allow(enforcer, "UndoReleaseFromServed", List.of("s3:DeleteObject"), List.of(storage.servedObjects()));
        allow(
                enforcer,
                "Quarantine",
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                List.of(storage.quarantineObjects()));
        // Without s3:ListBucket, S3 answers 403 instead of 404 to a HEAD of a missing key, and the
        // enforcer's "already gone / already moved" recovery would fail into the dead-letter queue.
        List<String> buckets = new ArrayList<>(List.of(storage.uploads().getBucketArn()));
        if (storage.quarantineIsSeparate()) {
            buckets.add(storage.quarantine().getBucketArn());
        }
        allow(enforcer, "HeadOfMissingKeysAnswers404", List.of("s3:ListBucket"), buckets);
        // a copy over CopyObject's 5 GB is a multipart upload at the destination (s3:PutObject above
        // covers create, UploadPartCopy and complete): it aborts the upload on failure, and first the
        // ones a crashed earlier attempt left open there, which it finds by listing them
        allow(
                enforcer,
                "LargeCopyAbortsItsUploads",
                List.of("s3:AbortMultipartUpload"),
                List.of(storage.servedObjects(), storage.quarantineObjects()));
        allow(enforcer, "LargeCopyFindsUploadsLeftOpen", List.of("s3:ListBucketMultipartUploads"), buckets);
        allow(
                enforcer,
                "ConsumeEvents",
                List.of(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                        "sqs:GetQueueUrl"),
                List.of(queues.events().getQueueArn()));
        allow(
                enforcer,
                "WatchDeadLetterDepth",
                List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                List.of(queues.deadLetters().getQueueArn()));
    }

    private static void allow(Role role, String sid, List<String> actions, List<String> resources) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .actions(actions)
                .resources(resources)
                .build());
    }
}
