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
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;

/**
 * The Lambda deployment ({@code compute=lambda}): the signer behind an HTTP API with a JWT
 * authorizer, the enforcer on the events queue with batch item failures, and the enforcer's
 * artifact once more as the release of expired reservations on an EventBridge schedule (the
 * worker's timer does that in a long-running enforcer; a Lambda lives only per invocation), and
 * with a notification bus or topic the dispatch of verdict notifications on a schedule too.
 *
 * <p>The signer and the enforcer run under the roles of {@link ServiceRoles}, with CloudWatch Logs
 * added; the release function under a role of its own that may reach the database and nothing
 * else. With the stack's database they run in the VPC's private subnets. Resources are created
 * with the stack as their scope, so their logical ids do not depend on this class.
 */
final class ServiceFunctions {

    static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";
    static final String ENFORCER_MAIN = "io.uploadguard.enforcer.EnforcerApplication";
    static final String RELEASE_DEFINITION = "releaseExpiredReservations";
    static final String DISPATCH_DEFINITION = "dispatchNotifications";
    static final int RELEASE_TIMEOUT_SECONDS = 60;

    private static final String LAMBDA_LOGS = "service-role/AWSLambdaBasicExecutionRole";
    // CDK adds this only to roles it creates for a function; ours are given, so it is added here
    private static final String LAMBDA_IN_VPC = "service-role/AWSLambdaVPCAccessExecutionRole";

    private final Stack stack;
    private final UploadGuardSettings settings;
    private final Network network;
    private final Map<String, String> environment;

    /** One function: {@code definition} names its function bean. */
    private record Spec(
            String id,
            String service,
            String mainClass,
            String definition,
            String artifact,
            int timeoutSeconds,
            Role role,
            SecurityGroup securityGroup) {}

    private ServiceFunctions(
            Stack stack, UploadGuardSettings settings, Network network, Map<String, String> environment) {
        this.stack = stack;
        this.settings = settings;
        this.network = network;
        this.environment = environment;
    }

    /** {@code network} is {@code null} when the stack creates no VPC: the functions then run outside one. */
    static void deploy(
            Stack stack, UploadGuardSettings settings, ServiceParts parts, Network network, DatabaseAccess database) {
        settings.computeOptions().requireLambdaArtifacts();
        Map<String, String> environment = ServiceEnvironment.common(settings, parts.storage(), parts.queues());
        environment.putAll(database.lambdaEnvironment());
        // fast start for short-lived JVMs
        environment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        new ServiceFunctions(stack, settings, network, environment).deploy(parts, database);
    }

    private void deploy(ServiceParts parts, DatabaseAccess database) {
        ServiceRoles roles = parts.roles();
        for (Role role : List.of(roles.signer(), roles.enforcer())) {
            allowLambdaBasics(role);
            database.grantRead(role);
        }
        ComputeSettings compute = settings.computeOptions();
        Map<String, String> signerOnly = ServiceEnvironment.signerOnly(settings);
        environment.putAll(signerOnly);
        Function signer = function(new Spec(
                "SignerFunction",
                "signer",
                "io.uploadguard.signer.SignerApplication",
                "uploadsApi",
                compute.signerLambdaArtifact(),
                30,
                roles.signer(),
                network == null ? null : network.signer()));
        // the enforcer's functions alone: each function copies the environment when it is created
        environment.keySet().removeAll(signerOnly.keySet());
        environment.putAll(parts.notifications().enforcerEnvironment());
        Function enforcer = function(new Spec(
                "EnforcerFunction",
                "enforcer",
                ENFORCER_MAIN,
                "enforceS3Events",
                compute.enforcerLambdaArtifact(),
                UploadGuardSettings.ENFORCER_LAMBDA_TIMEOUT_SECONDS,
                roles.enforcer(),
                network == null ? null : network.enforcer()));
        enforcer.addEventSource(SqsEventSource.Builder.create(parts.queues().events())
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());
        signerApi(signer);
        releaseOnSchedule(database);
        if (parts.notifications().any()) {
            dispatchOnSchedule(database, parts.notifications());
        }
    }

    private void signerApi(Function signer) {
        HttpApi api = HttpApi.Builder.create(stack, "SignerApi")
                .description("UploadGuard signer: /uploads and a multipart upload's routes")
                .defaultAuthorizer(HttpJwtAuthorizer.Builder.create("Jwt", settings.jwtIssuer())
                        .jwtAudience(settings.jwtAudiences())
                        .build())
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(settings.corsOrigins())
                        .allowMethods(List.of(CorsHttpMethod.POST, CorsHttpMethod.GET, CorsHttpMethod.DELETE))
                        .allowHeaders(List.of("authorization", "content-type"))
                        .build())
                .build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("Signer", signer);
        // what the HTTP signer serves; the function answers each (UploadsLambda, MultipartRoutes)
        Map<String, List<HttpMethod>> routes = new LinkedHashMap<>();
        routes.put("/uploads", List.of(HttpMethod.POST));
        routes.put("/uploads/{id}", List.of(HttpMethod.GET, HttpMethod.DELETE));
        routes.put("/uploads/{id}/parts", List.of(HttpMethod.POST, HttpMethod.GET));
        routes.put("/uploads/{id}/complete", List.of(HttpMethod.POST));
        routes.put("/uploads/{id}/s3/create", List.of(HttpMethod.POST));
        routes.put("/uploads/{id}/s3/parts", List.of(HttpMethod.GET));
        routes.put("/uploads/{id}/s3/complete", List.of(HttpMethod.POST));
        routes.forEach((path, methods) -> api.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(methods)
                .integration(integration)
                .build()));
        CfnOutput.Builder.create(stack, "SignerApiUrl")
                .value(api.getApiEndpoint())
                .build();
    }

    /**
     * The enforcer's artifact with {@code releaseExpiredReservations}, every {@code releaseSchedule}.
     * Its role may write its logs, join the VPC and read the database secret: releasing touches
     * the ledger only, so it gets no S3 or SQS rights.
     */
    private void releaseOnSchedule(DatabaseAccess database) {
        onSchedule(
                "Release",
                RELEASE_DEFINITION,
                settings.computeOptions().releaseSchedule(),
                "UploadGuard release of expired reservations: the database only",
                "UploadGuard: release reservations whose upload URL expired unused",
                database);
    }

    /**
     * The enforcer's artifact with {@code dispatchNotifications}, every
     * {@code notificationsDispatchSchedule}: the dispatcher loop runs only in a long-running
     * enforcer. Its role may reach the database and send to the notification bus and topic, no more.
     */
    private void dispatchOnSchedule(DatabaseAccess database, NotificationTargets notifications) {
        Role role = onSchedule(
                "Dispatch",
                DISPATCH_DEFINITION,
                settings.notificationsOptions().dispatchSchedule(),
                "UploadGuard dispatch of verdict notifications: the database, the bus and the topic",
                "UploadGuard: deliver the verdict notifications the ledger booked",
                database);
        notifications.grantSend(role);
    }

    /** A function of the enforcer's artifact on a schedule, under a role of its own; the role is returned for grants. */
    private Role onSchedule(
            String id,
            String definition,
            String schedule,
            String roleDescription,
            String ruleDescription,
            DatabaseAccess database) {
        Role role = Role.Builder.create(stack, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(roleDescription)
                .build();
        allowLambdaBasics(role);
        database.grantRead(role);
        Function function = function(new Spec(
                id + "Function",
                "enforcer",
                ENFORCER_MAIN,
                definition,
                settings.computeOptions().enforcerLambdaArtifact(),
                RELEASE_TIMEOUT_SECONDS,
                role,
                network == null ? null : network.enforcer()));
        Rule.Builder.create(stack, id + "Schedule")
                .description(ruleDescription)
                .schedule(Schedule.expression(schedule))
                // a missed run is made up by the next one: no retries piling up behind a slow start
                .targets(List.of(
                        LambdaFunction.Builder.create(function).retryAttempts(0).build()))
                .build();
        return role;
    }

    /** Logs, and in the VPC the network interfaces a function there needs. */
    private void allowLambdaBasics(Role role) {
        role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(LAMBDA_LOGS));
        if (network != null) {
            role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(LAMBDA_IN_VPC));
        }
    }

    private Function function(Spec spec) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("MAIN_CLASS", spec.mainClass());
        env.put("SPRING_CLOUD_FUNCTION_DEFINITION", spec.definition());
        Function.Builder builder = Function.Builder.create(stack, spec.id())
                .description("UploadGuard " + spec.service() + " (Spring Cloud Function: " + spec.definition() + ")")
                .runtime(Runtime.JAVA_17)
                .handler(HANDLER)
                .code(Code.fromAsset(spec.artifact()))
                .memorySize(2048)
                .timeout(Duration.seconds(spec.timeoutSeconds()))
                .role(spec.role())
                .environment(env);
        if (network != null) {
            builder.vpc(network.vpc())
                    .vpcSubnets(Network.SERVICE_SUBNETS)
                    .securityGroups(List.of(spec.securityGroup()));
        }
        return builder.build();
    }
}
