package io.uploadguard.cdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment both services get wherever they run (Lambda or Fargate): the stack's names and
 * key layout, and the database's plain settings. Nothing secret: credentials travel as a secret's
 * ARN (Lambda) or as ECS secrets (Fargate), see {@link DatabaseAccess}.
 */
final class ServiceEnvironment {

    private ServiceEnvironment() {}

    static Map<String, String> common(UploadGuardSettings settings, UploadStorage storage, EventQueues queues) {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("UPLOADGUARD_BUCKET", storage.uploads().getBucketName());
        common.put("UPLOADGUARD_EVENTS_QUEUE", queues.events().getQueueName());
        common.put("UPLOADGUARD_DEAD_LETTER_QUEUE", queues.deadLetters().getQueueName());
        common.put("UPLOADGUARD_LAYOUT_INCOMING_PREFIX", settings.incomingPrefix());
        common.put("UPLOADGUARD_LAYOUT_SERVED_PREFIX", settings.servedPrefix());
        common.put("UPLOADGUARD_LAYOUT_QUARANTINE_PREFIX", settings.quarantinePrefix());
        if (storage.quarantineIsSeparate()) {
            common.put(
                    "UPLOADGUARD_ENFORCER_QUARANTINE_BUCKET",
                    storage.quarantine().getBucketName());
        }
        return common;
    }

    /**
     * The signer's alone: the web apps that may call it from a browser, the same origins as the
     * bucket's CORS rule (one setting, {@code corsOrigins}). Behind API Gateway the HTTP API's CORS
     * answers preflights; the variable keeps the function's settings the same as a container's.
     */
    static Map<String, String> signerOnly(UploadGuardSettings settings) {
        return Map.of("UPLOADGUARD_CORS_ALLOWED_ORIGINS", String.join(",", settings.corsOrigins()));
    }

    /** Services that verify tokens themselves (Fargate; a Lambda has API Gateway's authorizer). */
    static Map<String, String> identityProvider(UploadGuardSettings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", settings.jwtIssuer());
        env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", String.join(",", settings.jwtAudiences()));
        return env;
    }
}
