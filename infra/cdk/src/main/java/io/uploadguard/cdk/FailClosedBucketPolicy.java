package io.uploadguard.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * The buckets' resource policies. Explicit denies win over any identity policy in the account, so
 * even an administrator's credentials cannot read uploads that were not inspected yet; the admin
 * role's and the reader's rights are granted here, so roles passed by ARN work unchanged.
 */
final class FailClosedBucketPolicy {

    private FailClosedBucketPolicy() {}

    static void apply(UploadGuardSettings settings, UploadStorage storage, ServiceRoles roles) {
        Bucket uploads = storage.uploads();
        Bucket quarantine = storage.quarantine();
        String signer = roles.signer().getRoleArn();
        String enforcer = roles.enforcer().getRoleArn();
        String admin = roles.admin().getRoleArn();
        String incoming = storage.incomingObjects();
        String served = storage.servedObjects();
        String quarantined = storage.quarantineObjects();

        denyUnless(uploads, "DenyReadingIncomingExceptEnforcer", "s3:GetObject*", incoming, enforcer);
        denyUnless(uploads, "DenyUploadingExceptSigner", "s3:PutObject*", incoming, signer);
        denyUnless(uploads, "DenyWritingServedExceptEnforcer", "s3:PutObject*", served, enforcer);
        List<String> layout = new ArrayList<>(List.of(incoming, served));
        if (!storage.quarantineIsSeparate()) {
            layout.add(quarantined);
        }
        denyWritingOutside(uploads, "DenyWritingOutsideTheLayout", layout);

        denyUnless(
                quarantine,
                "DenyReadingQuarantineExceptEnforcerAndAdmin",
                "s3:GetObject*",
                quarantined,
                enforcer,
                admin);
        denyUnless(quarantine, "DenyWritingQuarantineExceptEnforcer", "s3:PutObject*", quarantined, enforcer);
        denyUnless(
                quarantine,
                "DenyDeletingQuarantineExceptEnforcerAndAdmin",
                "s3:DeleteObject*",
                quarantined,
                enforcer,
                admin);
        if (storage.quarantineIsSeparate()) {
            denyWritingOutside(quarantine, "DenyWritingOutsideTheQuarantinePrefix", List.of(quarantined));
        }

        quarantine.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowAdminToReviewAndPurgeQuarantine")
                .effect(Effect.ALLOW)
                .principals(List.of(new ArnPrincipal(admin)))
                .actions(List.of("s3:GetObject", "s3:DeleteObject"))
                .resources(List.of(quarantined))
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
                    .resources(List.of(served))
                    .build());
        }
    }

    private static void denyUnless(Bucket bucket, String sid, String action, String resource, String... exceptArns) {
        bucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of(action))
                .resources(List.of(resource))
                .conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", List.of(exceptArns))))
                .build());
    }

    private static void denyWritingOutside(Bucket bucket, String sid, List<String> allowedObjects) {
        bucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("s3:PutObject*"))
                .notResources(allowedObjects)
                .build());
    }
}
