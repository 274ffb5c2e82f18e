package io.uploadguard.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LoadBalancerTargetOptions;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * The container deployment ({@code compute=fargate}), from the services' own Dockerfiles: the
 * signer behind an internet-facing Application Load Balancer, the enforcer scaled on the events
 * queue's depth. Both run in the VPC's private subnets under the roles of {@link ServiceRoles} as
 * task roles; the database credentials reach them as ECS secrets.
 *
 * <p>The actuator moves to {@code managementPort}: the load balancer forwards clients to the
 * service port only, and reaches the management port for its health check alone
 * ({@code /actuator/health/readiness}), so {@code /actuator/**} is never served to clients.
 */
final class FargateServices {

    static final int SIGNER_PORT = 8080;
    static final int ENFORCER_PORT = 8081;
    static final String READINESS = "/actuator/health/readiness";

    private final Stack stack;
    private final UploadGuardSettings settings;
    private final Network network;
    private final Cluster cluster;
    private final Map<String, String> environment;
    private final DatabaseAccess database;

    private FargateServices(
            Stack stack,
            UploadGuardSettings settings,
            Network network,
            Map<String, String> environment,
            DatabaseAccess database) {
        this.stack = stack;
        this.settings = settings;
        this.network = network;
        this.environment = environment;
        this.database = database;
        cluster = Cluster.Builder.create(stack, "Cluster").vpc(network.vpc()).build();
    }

    static void deploy(
            Stack stack, UploadGuardSettings settings, ServiceParts parts, Network network, DatabaseAccess database) {
        Map<String, String> environment = ServiceEnvironment.common(settings, parts.storage(), parts.queues());
        environment.putAll(ServiceEnvironment.identityProvider(settings));
        environment.putAll(database.plainEnvironment());
        // a Lambda always has AWS_REGION; say it for the containers rather than rely on the agent
        environment.put("SPRING_CLOUD_AWS_REGION_STATIC", stack.getRegion());
        environment.put(
                "MANAGEMENT_SERVER_PORT",
                String.valueOf(settings.computeOptions().managementPort()));
        FargateServices services = new FargateServices(stack, settings, network, environment, database);
        Map<String, String> signerOnly = ServiceEnvironment.signerOnly(settings);
        environment.putAll(signerOnly);
        services.signer(parts.roles().signer());
        environment.keySet().removeAll(signerOnly.keySet());
        // the enforcer's alone: each container copies the environment when it is added
        environment.putAll(parts.notifications().enforcerEnvironment());
        services.enforcer(parts.roles().enforcer(), parts.queues());
    }

    private void signer(Role role) {
        ComputeSettings compute = settings.computeOptions();
        FargateService service = service(
                "signer",
                compute.signerImageDirectory(),
                SIGNER_PORT,
                role,
                network.signer(),
                options -> options.desiredCount(compute.signerTasks())
                        // a task at half a vCPU needs well over the default 60 s to start and migrate
                        .healthCheckGracePeriod(Duration.seconds(180)));
        ApplicationLoadBalancer loadBalancer = ApplicationLoadBalancer.Builder.create(stack, "SignerLoadBalancer")
                .vpc(network.vpc())
                .internetFacing(true)
                .build();
        boolean https = compute.loadBalancerCertificateArn() != null;
        BaseApplicationListenerProps.Builder listener = BaseApplicationListenerProps.builder()
                .port(https ? 443 : 80)
                .protocol(https ? ApplicationProtocol.HTTPS : ApplicationProtocol.HTTP)
                .open(true);
        if (https) {
            listener.certificates(List.of(ListenerCertificate.fromArn(compute.loadBalancerCertificateArn())));
            // plain HTTP only answers with a redirect to HTTPS
            loadBalancer.addRedirect();
        }
        loadBalancer
                .addListener("SignerListener", listener.build())
                .addTargets(
                        "Signer",
                        AddApplicationTargetsProps.builder()
                                .port(SIGNER_PORT)
                                .protocol(ApplicationProtocol.HTTP)
                                .targets(List.of(service.loadBalancerTarget(LoadBalancerTargetOptions.builder()
                                        .containerName("signer")
                                        .containerPort(SIGNER_PORT)
                                        .build())))
                                .healthCheck(HealthCheck.builder()
                                        .path(READINESS)
                                        .port(String.valueOf(compute.managementPort()))
                                        .healthyHttpCodes("200")
                                        .interval(Duration.seconds(15))
                                        .build())
                                // the signer drains within its 20 s graceful shutdown
                                .deregistrationDelay(Duration.seconds(30))
                                .build());
        // the health check, and only it, reaches the management port
        service.getConnections()
                .allowFrom(loadBalancer, Port.tcp(compute.managementPort()), "load balancer health check");
        CfnOutput.Builder.create(stack, "SignerUrl")
                .value((https ? "https://" : "http://") + loadBalancer.getLoadBalancerDnsName())
                .build();
    }

    /**
     * Step scaling on the events queue's visible messages: one task more from 100 waiting, three
     * more from 1000, one fewer when it is empty. CPU says little here: the enforcer mostly waits
     * on S3 and the database.
     */
    private void enforcer(Role role, EventQueues queues) {
        ComputeSettings compute = settings.computeOptions();
        // no desired count: a deploy keeps the count the scaling chose instead of resetting it
        FargateService service = service(
                "enforcer", compute.enforcerImageDirectory(), ENFORCER_PORT, role, network.enforcer(), options -> {});
        ScalableTaskCount scaling = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(compute.enforcerMinTasks())
                .maxCapacity(compute.enforcerMaxTasks())
                .build());
        scaling.scaleOnMetric(
                "QueueDepthScaling",
                BasicStepScalingPolicyProps.builder()
                        .metric(queues.events()
                                .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                        .period(Duration.minutes(1))
                                        .statistic("Maximum")
                                        .build()))
                        .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                        .scalingSteps(List.of(
                                ScalingInterval.builder().upper(0).change(-1).build(),
                                ScalingInterval.builder().lower(100).change(1).build(),
                                ScalingInterval.builder().lower(1000).change(3).build()))
                        .cooldown(Duration.minutes(2))
                        .build());
    }

    /** One service from {@code name}'s Dockerfile; {@code options} adds what only that service needs. */
    private FargateService service(
            String name,
            String imageDirectory,
            int port,
            Role role,
            SecurityGroup group,
            Consumer<FargateService.Builder> options) {
        ComputeSettings compute = settings.computeOptions();
        String id = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(stack, id + "Task")
                .cpu(compute.taskCpu())
                .memoryLimitMiB(compute.taskMemoryMiB())
                .taskRole(role)
                .build();
        task.addContainer(
                name,
                ContainerDefinitionOptions.builder()
                        .image(ContainerImage.fromAsset(
                                imageDirectory,
                                // the Dockerfile copies target/*.jar; sources and build leftovers stay out
                                AssetImageProps.builder()
                                        .exclude(List.of("src", "target/*", "!target/*.jar"))
                                        .build()))
                        .environment(new LinkedHashMap<>(environment))
                        .secrets(database.containerSecrets())
                        .portMappings(List.of(
                                PortMapping.builder().containerPort(port).build(),
                                PortMapping.builder()
                                        .containerPort(compute.managementPort())
                                        .build()))
                        .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                                .streamPrefix(name)
                                .logRetention(RetentionDays.ONE_MONTH)
                                .build()))
                        // graceful shutdown: in-flight requests and messages finish (20-25 s)
                        .stopTimeout(Duration.seconds(40))
                        .build());
        FargateService.Builder service = FargateService.Builder.create(stack, id + "Service")
                .cluster(cluster)
                .taskDefinition(task)
                .securityGroups(List.of(group))
                .vpcSubnets(Network.SERVICE_SUBNETS)
                .minHealthyPercent(100)
                // a version that never turns healthy is rolled back to the last one that did
                .circuitBreaker(
                        DeploymentCircuitBreaker.builder().rollback(true).build());
        options.accept(service);
        return service.build();
    }
}
