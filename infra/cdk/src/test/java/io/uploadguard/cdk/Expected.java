package io.uploadguard.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Match;

/** Expected template fragments, in {@link Cfn}'s readable form, shared by the stack tests. */
final class Expected {

    static final Map<String, Object> ALL_PUBLIC_ACCESS_BLOCKED = Map.of(
            "BlockPublicAcls",
            true,
            "BlockPublicPolicy",
            true,
            "IgnorePublicAcls",
            true,
            "RestrictPublicBuckets",
            true);

    private Expected() {}

    /** A policy statement in {@link Cfn#statement}'s canonical form; {@code null} leaves a key out. */
    static Map<String, Object> statement(
            String sid,
            String effect,
            Map<String, Object> principal,
            List<String> actions,
            List<String> resources,
            List<String> notResources,
            Map<String, ?> condition) {
        Map<String, Object> raw = new LinkedHashMap<>();
        if (sid != null) {
            raw.put("Sid", sid);
        }
        raw.put("Effect", effect);
        raw.put("Principal", principal);
        raw.put("Action", actions);
        if (resources != null) {
            raw.put("Resource", resources);
        }
        if (notResources != null) {
            raw.put("NotResource", notResources);
        }
        if (condition != null) {
            raw.put("Condition", condition);
        }
        return Cfn.statement(raw);
    }

    static Map<String, Object> deny(
            String sid, String action, List<String> resources, String operator, String key, List<String> values) {
        return statement(
                sid,
                "Deny",
                Map.of("AWS", "*"),
                List.of(action),
                resources,
                null,
                Map.of(operator, Map.of(key, values)));
    }

    static Map<String, Object> denyUnless(String sid, String action, String resource, String... principals) {
        return deny(sid, action, List.of(resource), "ArnNotEquals", "aws:PrincipalArn", List.of(principals));
    }

    /** CDK's two TLS denies for {@code enforceSsl} and {@code minimumTlsVersion(1.2)}. */
    static List<Map<String, Object>> tlsOnly(String bucketArn) {
        List<String> bucketAndObjects = List.of(bucketArn, bucketArn + "/*");
        return List.of(
                deny(null, "s3:*", bucketAndObjects, "Bool", "aws:SecureTransport", List.of("false")),
                deny(null, "s3:*", bucketAndObjects, "NumericLessThan", "s3:TlsVersion", List.of("1.2")));
    }

    /**
     * The quarantine's statements, wherever it lives: read and purged by the enforcer and the admin
     * only, written by the enforcer only; the admin's rights granted here.
     */
    static List<Map<String, Object>> quarantineStatements(
            String bucketArn, String quarantineObjects, String enforcer, String admin) {
        return List.of(
                denyUnless(
                        "DenyReadingQuarantineExceptEnforcerAndAdmin",
                        "s3:GetObject*",
                        quarantineObjects,
                        enforcer,
                        admin),
                denyUnless("DenyWritingQuarantineExceptEnforcer", "s3:PutObject*", quarantineObjects, enforcer),
                denyUnless(
                        "DenyDeletingQuarantineExceptEnforcerAndAdmin",
                        "s3:DeleteObject*",
                        quarantineObjects,
                        enforcer,
                        admin),
                statement(
                        "AllowAdminToReviewAndPurgeQuarantine",
                        "Allow",
                        Map.of("AWS", admin),
                        List.of("s3:DeleteObject", "s3:GetObject"),
                        List.of(quarantineObjects),
                        null,
                        null),
                statement(
                        "AllowAdminToListQuarantine",
                        "Allow",
                        Map.of("AWS", admin),
                        List.of("s3:ListBucket"),
                        List.of(bucketArn),
                        null,
                        Map.of("StringLike", Map.of("s3:prefix", List.of("quarantine/*")))));
    }

    /** The statements of all the lists, in order. */
    @SafeVarargs
    static List<Map<String, Object>> concat(List<Map<String, Object>>... parts) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (List<Map<String, Object>> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    static Map<String, Object> abortMultipartAfter(int days) {
        return Map.of(
                "Id",
                "abort-incomplete-multipart-uploads",
                "Status",
                "Enabled",
                "AbortIncompleteMultipartUpload",
                Map.of("DaysAfterInitiation", days));
    }

    static Map<String, Object> expire(String id, String prefix, int days) {
        return Map.of("Id", id, "Status", "Enabled", "Prefix", prefix, "ExpirationInDays", days);
    }

    /** Matches a role by its description, assumed by {@code principal} alone. */
    static Object roleAssumedBy(String descriptionRegex, Map<String, Object> principal) {
        return Match.objectLike(Map.of(
                "Description",
                Match.stringLikeRegexp(descriptionRegex),
                "AssumeRolePolicyDocument",
                Match.objectLike(Map.of(
                        "Statement",
                        List.of(Map.of("Action", "sts:AssumeRole", "Effect", "Allow", "Principal", principal))))));
    }
}
