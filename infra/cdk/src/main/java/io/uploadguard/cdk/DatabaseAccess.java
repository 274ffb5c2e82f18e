package io.uploadguard.cdk;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * How the services reach the database, without its password in any environment: the URL (and a
 * user of your own) as plain variables, the credentials in a Secrets Manager secret.
 *
 * <p>Lambdas get the secret's ARN only: Spring Cloud AWS reads it at start
 * ({@code SPRING_CONFIG_IMPORT=aws-secretsmanager:<arn>?prefix=spring.datasource.} maps the
 * secret's {@code username} and {@code password} keys to {@code spring.datasource.*}); their role
 * may read that secret. Fargate tasks get them from ECS, which reads the secret when it starts a
 * task (their execution role may read it), never from the task definition.
 *
 * @param url JDBC URL; {@code null}: no database configured by the stack
 * @param username user given as plain text (a database of your own); {@code null}: from the secret
 * @param secret the credentials; {@code null}: none
 * @param secretId how the services name it (its name, or ARN)
 * @param secretHasUsername the secret has a {@code username} key (the RDS-generated one does)
 */
record DatabaseAccess(String url, String username, ISecret secret, String secretId, boolean secretHasUsername) {

    static final String IMPORT_PREFIX = "?prefix=spring.datasource.";

    /** A database of your own ({@code datasourceUrl} and friends), or none. */
    static DatabaseAccess external(Stack stack, UploadGuardSettings settings) {
        String name = settings.datasourcePasswordSecret();
        ISecret secret = null;
        if (name != null) {
            secret = name.startsWith("arn:")
                    ? Secret.fromSecretCompleteArn(stack, "DatasourceSecret", name)
                    : Secret.fromSecretNameV2(stack, "DatasourceSecret", name);
        }
        return new DatabaseAccess(settings.datasourceUrl(), settings.datasourceUsername(), secret, name, false);
    }

    /** Plain variables for a Lambda; the secret is named by ARN and read by the function at start. */
    Map<String, String> lambdaEnvironment() {
        Map<String, String> env = plainEnvironment();
        if (secret != null) {
            env.put("SPRING_CONFIG_IMPORT", "aws-secretsmanager:" + secretId + IMPORT_PREFIX);
        }
        return env;
    }

    /** Plain variables for a container; the credentials come from {@link #containerSecrets()}. */
    Map<String, String> plainEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (url != null) {
            env.put("SPRING_DATASOURCE_URL", url);
        }
        if (username != null) {
            env.put("SPRING_DATASOURCE_USERNAME", username);
        }
        return env;
    }

    /** Variables ECS fills from the secret when a task starts. */
    Map<String, software.amazon.awscdk.services.ecs.Secret> containerSecrets() {
        Map<String, software.amazon.awscdk.services.ecs.Secret> secrets = new LinkedHashMap<>();
        if (secret != null) {
            if (secretHasUsername) {
                secrets.put(
                        "SPRING_DATASOURCE_USERNAME",
                        software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret, "username"));
            }
            secrets.put(
                    "SPRING_DATASOURCE_PASSWORD",
                    software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret, "password"));
        }
        return secrets;
    }

    /** Lets a Lambda's role read the secret at start. */
    void grantRead(IGrantable grantee) {
        if (secret != null) {
            secret.grantRead(grantee);
        }
    }
}
