package io.uploadguard.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;

/**
 * The optional Lambda deployment ({@code lambdas=true}): the signer behind an HTTP API with a JWT
 * authorizer, the enforcer on the events queue with batch item failures. Both run under the roles
 * of {@link ServiceRoles}, with CloudWatch Logs added.
 *
 * <p>Resources are created with the stack as their scope, so their logical ids stay what they were
 * before this class existed.
 */
final class ServiceFunctions {

    static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";

    private final Stack stack;
    private final UploadGuardSettings settings;

    private ServiceFunctions(Stack stack, UploadGuardSettings settings) {
        this.stack = stack;
        this.settings = settings;
    }

    static void deploy(
            Stack stack, UploadGuardSettings settings, UploadStorage storage, EventQueues queues, ServiceRoles roles) {
        new ServiceFunctions(stack, settings).deploy(storage, queues, roles);
    }

    private void deploy(UploadStorage storage, EventQueues queues, ServiceRoles roles) {
        Map<String, String> common = commonEnvironment(storage, queues);
        for (Role role : List.of(roles.signer(), roles.enforcer())) {
            role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole"));
        }

        Function signer = function(
                "SignerFunction",
                "signer",
                "io.uploadguard.signer.SignerApplication",
                "uploadsApi",
                settings.signerLambdaJar(),
                30,
                roles.signer(),
                common);
        Function enforcer = function(
                "EnforcerFunction",
                "enforcer",
                "io.uploadguard.enforcer.EnforcerApplication",
                "enforceS3Events",
                settings.enforcerLambdaJar(),
                UploadGuardSettings.ENFORCER_LAMBDA_TIMEOUT_SECONDS,
                roles.enforcer(),
                common);
        enforcer.addEventSource(SqsEventSource.Builder.create(queues.events())
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());

        HttpApi api = HttpApi.Builder.create(stack, "SignerApi")
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
        Map<String, HttpMethod> routes = new LinkedHashMap<>();
        routes.put("/uploads", HttpMethod.POST);
        routes.put("/uploads/{id}", HttpMethod.GET);
        routes.forEach((path, method) -> api.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(integration)
                .build()));
        CfnOutput.Builder.create(stack, "SignerApiUrl")
                .value(api.getApiEndpoint())
                .build();
    }

    private Map<String, String> commonEnvironment(UploadStorage storage, EventQueues queues) {
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
        return common;
    }

    /** One service as a Spring Cloud Function; {@code definition} names its function bean. */
    private Function function(
            String id,
            String service,
            String mainClass,
            String definition,
            String jar,
            int timeoutSeconds,
            Role role,
            Map<String, String> common) {
        Map<String, String> environment = new LinkedHashMap<>(common);
        environment.put("MAIN_CLASS", mainClass);
        environment.put("SPRING_CLOUD_FUNCTION_DEFINITION", definition);
        return Function.Builder.create(stack, id)
                .description("UploadGuard " + service + " (Spring Cloud Function: " + definition + ")")
                .runtime(Runtime.JAVA_17)
                .handler(HANDLER)
                .code(Code.fromAsset(jar))
                .memorySize(2048)
                .timeout(Duration.seconds(timeoutSeconds))
                .role(role)
                .environment(environment)
                .build();
    }
}
