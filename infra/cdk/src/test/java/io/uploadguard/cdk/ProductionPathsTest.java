package io.uploadguard.cdk;

import static io.uploadguard.cdk.Cfn.asList;
import static io.uploadguard.cdk.Cfn.asMap;
import static io.uploadguard.cdk.Expected.roleAssumedBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The production paths (issue 13): compute (lambda, fargate) and the database (aurora, or your
 * own), in the combinations that matter: none/none, lambda/your own (the options stack),
 * lambda/aurora, fargate/aurora, fargate/your own.
 */
@Tag("integration")
class ProductionPathsTest {

    static final String ENFORCER_MAIN = "io.uploadguard.enforcer.EnforcerApplication";
    static final String DB_SECRET = "${DatabaseSecretAttachment}";
    static final String JDBC_URL = "jdbc:postgresql://${Database.Endpoint.Address}:5432/uploadguard";
    static final String LAMBDA_LOGS =
            "managed:arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    static final String LAMBDA_VPC =
            "managed:arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

    @Test
    void noPlainTextSecretInAnyEnvironment() {
        Synth.all().forEach((combination, template) -> {
            Cfn cfn = new Cfn(template);
            List<Map<String, Object>> environments = new ArrayList<>();
            cfn.ofType("AWS::Lambda::Function").values().forEach(fn -> {
                Object env = asMap(fn.get("Properties")).get("Environment");
                if (env != null) {
                    environments.add(asMap(asMap(env).get("Variables")));
                }
            });
            cfn.ofType("AWS::ECS::TaskDefinition").values().forEach(task -> {
                for (Object container : asList(asMap(task.get("Properties")).get("ContainerDefinitions"))) {
                    Map<String, Object> variables = new java.util.LinkedHashMap<>();
                    for (Object pair : asList(asMap(container).getOrDefault("Environment", List.of()))) {
                        variables.put(
                                (String) asMap(pair).get("Name"), asMap(pair).get("Value"));
                    }
                    environments.add(variables);
                }
            });
            for (Map<String, Object> variables : environments) {
                variables.forEach((name, value) -> {
                    assertThat(name.toLowerCase(Locale.ROOT))
                            .as(combination + ": " + name)
                            .doesNotContain("password")
                            .doesNotContain("secret");
                    assertThat(String.valueOf(value))
                            .as(combination + ": " + name + " resolves no secret at deploy time")
                            .doesNotContain("resolve:secretsmanager")
                            .doesNotContain("SecretString");
                });
            }
            if (!combination.startsWith("none-")) {
                assertThat(environments)
                        .as(combination + " has service environments")
                        .isNotEmpty();
            }
        });
    }

    @Test
    void noneNoneCreatesNoComputeNoNetworkNoDatabase() {
        Cfn cfn = new Cfn(Synth.local());
        for (String type : List.of(
                "AWS::EC2::VPC",
                "AWS::ECS::Cluster",
                "AWS::RDS::DBCluster",
                "AWS::Events::Rule",
                "AWS::ElasticLoadBalancingV2::LoadBalancer")) {
            assertThat(cfn.ofType(type)).as(type).isEmpty();
        }
    }

    @Test
    void withoutComputeTheDatabaseIsForTheServicesSecurityGroups() {
        Cfn cfn = new Cfn(Synth.noneAurora());
        assertThat(cfn.properties("AWS::RDS::DBCluster", "Database")).containsEntry("DeletionProtection", false);
        assertThat(cfn.outputs())
                .containsEntry("SignerSecurityGroupId", Map.of("Value", "${SignerSecurityGroup.GroupId}"))
                .containsEntry("EnforcerSecurityGroupId", Map.of("Value", "${EnforcerSecurityGroup.GroupId}"))
                .containsEntry("DatabaseSecretArn", Map.of("Value", DB_SECRET))
                .containsKey("DatabaseEndpoint");
        assertThat(cfn.ofType("AWS::Lambda::Function"))
                .containsOnlyKeys(cfn.ofType("AWS::Lambda::Function").keySet().stream()
                        .filter(name -> name.startsWith("BucketNotificationsHandler"))
                        .toList());
        assertThat(cfn.ofType("AWS::ECS::Cluster")).isEmpty();
    }

    @Test
    void lambdaModeReleasesExpiredReservationsOnASchedule() {
        for (Template template : List.of(Synth.options(), Synth.lambdaAurora())) {
            Cfn cfn = new Cfn(template);
            Map<String, Object> rule = cfn.properties("AWS::Events::Rule", "ReleaseSchedule");
            assertThat(rule)
                    .containsEntry("ScheduleExpression", "rate(1 minute)")
                    .containsEntry("State", "ENABLED");
            assertThat(asList(rule.get("Targets")))
                    .singleElement()
                    .satisfies(target -> assertThat(asMap(target)).containsEntry("Arn", "${ReleaseFunction.Arn}"));
            Map<String, Object> fn = cfn.properties("AWS::Lambda::Function", "ReleaseFunction");
            assertThat(fn)
                    .containsEntry("Handler", ServiceFunctions.HANDLER)
                    .containsEntry("Role", "${ReleaseRole.Arn}")
                    .containsEntry("Code", fn.get("Code"));
            assertThat(asMap(asMap(fn.get("Environment")).get("Variables")))
                    .containsEntry("MAIN_CLASS", ENFORCER_MAIN)
                    .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "releaseExpiredReservations");
            // the same artifact as the enforcer function
            assertThat(asMap(fn.get("Code")).get("S3Key"))
                    .isEqualTo(asMap(cfn.properties("AWS::Lambda::Function", "EnforcerFunction")
                                    .get("Code"))
                            .get("S3Key"));
            template.hasResourceProperties(
                    "AWS::Lambda::Permission",
                    Map.of(
                            "Action", "lambda:InvokeFunction",
                            "Principal", "events.amazonaws.com"));
        }
    }

    @Test
    void theReleaseFunctionMayReachTheDatabaseAndNothingElse() {
        Cfn aurora = new Cfn(Synth.lambdaAurora());
        assertThat(aurora.allowedFor("ReleaseRole"))
                .containsExactlyInAnyOrder(
                        LAMBDA_LOGS,
                        LAMBDA_VPC,
                        "secretsmanager:DescribeSecret " + DB_SECRET,
                        "secretsmanager:GetSecretValue " + DB_SECRET);
        Synth.lambdaAurora()
                .hasResourceProperties(
                        "AWS::IAM::Role",
                        roleAssumedBy(
                                "UploadGuard release of expired reservations.*",
                                Map.of("Service", "lambda.amazonaws.com")));
        Cfn external = new Cfn(Synth.options());
        assertThat(external.allowedFor("ReleaseRole"))
                .containsExactlyInAnyOrder(
                        LAMBDA_LOGS,
                        UploadGuardStackOptionsTest.READ_SECRET[0],
                        UploadGuardStackOptionsTest.READ_SECRET[1]);
    }

    @Test
    void lambdasWithTheDatabaseRunInTheVpcAndReadTheSecretAtStart() {
        Cfn cfn = new Cfn(Synth.lambdaAurora());
        Map<String, String> groups = Map.of(
                "SignerFunction", "${SignerSecurityGroup.GroupId}",
                "EnforcerFunction", "${EnforcerSecurityGroup.GroupId}",
                "ReleaseFunction", "${EnforcerSecurityGroup.GroupId}");
        groups.forEach((function, group) -> {
            Map<String, Object> fn = cfn.properties("AWS::Lambda::Function", function);
            Map<String, Object> vpc = asMap(fn.get("VpcConfig"));
            assertThat(vpc.get("SecurityGroupIds")).as(function).isEqualTo(List.of(group));
            assertThat(vpc.get("SubnetIds"))
                    .isEqualTo(List.of("${VpcservicesSubnet1Subnet}", "${VpcservicesSubnet2Subnet}"));
            assertThat(asMap(asMap(fn.get("Environment")).get("Variables")))
                    .as(function)
                    .containsEntry("SPRING_DATASOURCE_URL", JDBC_URL)
                    .containsEntry(
                            "SPRING_CONFIG_IMPORT", "aws-secretsmanager:" + DB_SECRET + "?prefix=spring.datasource.")
                    .doesNotContainKeys("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
        });
        assertThat(cfn.allowedFor("SignerRole"))
                .contains("secretsmanager:GetSecretValue " + DB_SECRET, LAMBDA_VPC)
                .noneMatch(pair -> pair.startsWith("s3:")
                        && !UploadGuardStackTest.signerAllows("${Uploads.Arn}/incoming/*")
                                .contains(pair));
        assertThat(cfn.allowedFor("EnforcerRole")).contains("secretsmanager:GetSecretValue " + DB_SECRET);
    }

    @Test
    void theDatabaseIsReachableFromTheServicesOnly() {
        for (Template template : List.of(Synth.lambdaAurora(), Synth.fargateAurora())) {
            Cfn cfn = new Cfn(template);
            Map<String, Object> cluster = cfn.properties("AWS::RDS::DBCluster", "Database");
            assertThat(cluster)
                    .containsEntry("Engine", "aurora-postgresql")
                    .containsEntry("StorageEncrypted", true)
                    .containsEntry("DeletionProtection", true)
                    .containsEntry("DatabaseName", "uploadguard")
                    .containsEntry("ServerlessV2ScalingConfiguration", Map.of("MinCapacity", 0.5, "MaxCapacity", 4))
                    .containsEntry("VpcSecurityGroupIds", List.of("${DatabaseSecurityGroup.GroupId}"));
            assertThat(cfn.properties("AWS::RDS::DBInstance", "DatabaseWriter"))
                    .containsEntry("DBInstanceClass", "db.serverless")
                    .containsEntry("PubliclyAccessible", false);
            assertThat(cfn.properties("AWS::RDS::DBSubnetGroup", "DatabaseSubnets")
                            .get("SubnetIds"))
                    .isEqualTo(List.of("${VpcdatabaseSubnet1Subnet}", "${VpcdatabaseSubnet2Subnet}"));
            Map<String, Object> group = cfn.properties("AWS::EC2::SecurityGroup", "DatabaseSecurityGroup");
            assertThat(group).doesNotContainKey("SecurityGroupIngress");
            Set<String> ingress = new TreeSet<>();
            cfn.ofType("AWS::EC2::SecurityGroupIngress").values().forEach(r -> {
                Map<String, Object> rule = asMap(Cfn.norm(r.get("Properties")));
                if ("${DatabaseSecurityGroup.GroupId}".equals(rule.get("GroupId"))) {
                    assertThat(rule).containsEntry("FromPort", 5432).containsEntry("ToPort", 5432);
                    assertThat(rule).doesNotContainKeys("CidrIp", "CidrIpv6");
                    ingress.add((String) rule.get("SourceSecurityGroupId"));
                }
            });
            assertThat(ingress)
                    .containsExactlyInAnyOrder("${SignerSecurityGroup.GroupId}", "${EnforcerSecurityGroup.GroupId}");
        }
    }

    @Test
    void fargateServesTheSignerBehindTheLoadBalancerWithTheActuatorOnItsOwnPort() {
        Cfn cfn = new Cfn(Synth.fargateAurora());
        assertThat(cfn.properties("AWS::ElasticLoadBalancingV2::LoadBalancer", "SignerLoadBalancer"))
                .containsEntry("Scheme", "internet-facing")
                .containsEntry("Subnets", List.of("${VpcpublicSubnet1Subnet}", "${VpcpublicSubnet2Subnet}"));
        Map<String, Map<String, Object>> listeners = cfn.ofType("AWS::ElasticLoadBalancingV2::Listener");
        assertThat(listeners).hasSize(2);
        Map<String, Object> listener =
                cfn.properties("AWS::ElasticLoadBalancingV2::Listener", "SignerLoadBalancerSignerListener");
        // port 80 redirects to HTTPS and forwards nothing
        assertThat(cfn.properties("AWS::ElasticLoadBalancingV2::Listener", "SignerLoadBalancerRedirect80To443"))
                .containsEntry("Port", 80)
                .containsEntry(
                        "DefaultActions",
                        List.of(Map.of(
                                "Type",
                                "redirect",
                                "RedirectConfig",
                                Map.of("Port", "443", "Protocol", "HTTPS", "StatusCode", "HTTP_301"))));
        assertThat(listener)
                .containsEntry("Port", 443)
                .containsEntry("Protocol", "HTTPS")
                .containsEntry("Certificates", List.of(Map.of("CertificateArn", Synth.CERTIFICATE)));
        Map<String, Object> targets = asMap(Cfn.norm(cfn.ofType("AWS::ElasticLoadBalancingV2::TargetGroup")
                .values()
                .iterator()
                .next()
                .get("Properties")));
        assertThat(targets)
                .containsEntry("Port", FargateServices.SIGNER_PORT)
                .containsEntry("TargetType", "ip")
                .containsEntry("HealthCheckPath", "/actuator/health/readiness")
                .containsEntry("HealthCheckPort", "8090");
        // clients reach 443 only; the load balancer reaches the tasks on the service port and,
        // for its health check, the management port
        Map<String, Object> albGroup = cfn.properties("AWS::EC2::SecurityGroup", "SignerLoadBalancerSecurityGroup");
        Set<Integer> open = new TreeSet<>();
        asList(albGroup.get("SecurityGroupIngress")).forEach(rule -> {
            assertThat(asMap(rule).get("ToPort")).isEqualTo(asMap(rule).get("FromPort"));
            open.add((Integer) asMap(rule).get("FromPort"));
        });
        assertThat(open).containsExactly(80, 443);
        Set<Integer> signerPorts = new TreeSet<>();
        cfn.ofType("AWS::EC2::SecurityGroupIngress").values().forEach(r -> {
            Map<String, Object> rule = asMap(Cfn.norm(r.get("Properties")));
            if ("${SignerSecurityGroup.GroupId}".equals(rule.get("GroupId"))) {
                assertThat(rule).containsEntry("SourceSecurityGroupId", "${SignerLoadBalancerSecurityGroup.GroupId}");
                signerPorts.add((Integer) rule.get("FromPort"));
            }
        });
        assertThat(signerPorts).containsExactly(8080, 8090);
        Set<Integer> loadBalancerEgress = new TreeSet<>();
        cfn.ofType("AWS::EC2::SecurityGroupEgress").values().forEach(r -> {
            Map<String, Object> rule = asMap(Cfn.norm(r.get("Properties")));
            assertThat(rule)
                    .containsEntry("GroupId", "${SignerLoadBalancerSecurityGroup.GroupId}")
                    .containsEntry("DestinationSecurityGroupId", "${SignerSecurityGroup.GroupId}");
            loadBalancerEgress.add((Integer) rule.get("FromPort"));
        });
        assertThat(loadBalancerEgress)
                .as("the load balancer may reach the tasks on these only")
                .containsExactly(8080, 8090);
        assertThat(listeners.values().toString()).doesNotContain("8090");

        Map<String, Object> signer = container(cfn, "SignerTask");
        assertThat(environment(signer))
                .containsEntry("MANAGEMENT_SERVER_PORT", "8090")
                .containsEntry("SPRING_CLOUD_AWS_REGION_STATIC", "${AWS::Region}")
                .containsEntry("SPRING_DATASOURCE_URL", JDBC_URL)
                .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", Synth.ISSUER)
                .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "uploadguard")
                // one setting: the bucket's CORS origins are the signer's
                .containsEntry("UPLOADGUARD_CORS_ALLOWED_ORIGINS", String.join(",", bucketCorsOrigins(cfn)));
        assertThat(secrets(signer))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "SPRING_DATASOURCE_USERNAME", DB_SECRET + ":username::",
                        "SPRING_DATASOURCE_PASSWORD", DB_SECRET + ":password::"));
        assertThat(cfn.properties("AWS::ECS::TaskDefinition", "SignerTask"))
                .containsEntry("TaskRoleArn", "${SignerRole.Arn}")
                .containsEntry("RequiresCompatibilities", List.of("FARGATE"));
        assertThat(cfn.properties("AWS::ECS::Service", "SignerService"))
                .containsEntry("DesiredCount", 2)
                .containsEntry("HealthCheckGracePeriodSeconds", 180)
                .containsEntry("LaunchType", "FARGATE");
        // images from the services' Dockerfiles (assets); no schedule: the enforcer's worker releases
        assertThat(String.valueOf(signer.get("Image"))).contains("container-assets");
        assertThat(cfn.ofType("AWS::Events::Rule")).isEmpty();
        Synth.fargateAurora()
                .hasResourceProperties(
                        "AWS::IAM::Role",
                        roleAssumedBy("UploadGuard signer.*", Map.of("Service", "ecs-tasks.amazonaws.com")));
    }

    @Test
    void fargateScalesTheEnforcerOnTheEventsQueueDepth() {
        Cfn cfn = new Cfn(Synth.fargateExternal());
        Map<String, Object> target = asMap(Cfn.norm(cfn.ofType("AWS::ApplicationAutoScaling::ScalableTarget")
                .values()
                .iterator()
                .next()
                .get("Properties")));
        assertThat(target)
                .containsEntry("MinCapacity", 1)
                .containsEntry("MaxCapacity", 6)
                .containsEntry("ScalableDimension", "ecs:service:DesiredCount")
                .containsEntry("ResourceId", "service/${Cluster}/${EnforcerService.Name}");
        List<Map<String, Object>> alarms = new ArrayList<>();
        cfn.ofType("AWS::CloudWatch::Alarm").forEach((name, alarm) -> {
            if (name.startsWith("EnforcerServiceTaskCountTargetQueueDepthScaling")) {
                alarms.add(asMap(Cfn.norm(alarm.get("Properties"))));
            }
        });
        assertThat(alarms)
                .hasSize(2)
                .allSatisfy(alarm -> assertThat(alarm)
                        .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                        .containsEntry("Namespace", "AWS/SQS")
                        .containsEntry(
                                "Dimensions",
                                List.of(Map.of("Name", "QueueName", "Value", "${EventsQueue.QueueName}"))));
        Set<Object> steps = new TreeSet<>(java.util.Comparator.comparing(String::valueOf));
        cfn.ofType("AWS::ApplicationAutoScaling::ScalingPolicy").values().forEach(policy -> {
            Map<String, Object> props = asMap(Cfn.norm(policy.get("Properties")));
            assertThat(props).containsEntry("PolicyType", "StepScaling");
            steps.addAll(
                    asList(asMap(props.get("StepScalingPolicyConfiguration")).get("StepAdjustments")));
        });
        assertThat(steps.toString()).contains("ScalingAdjustment=-1", "ScalingAdjustment=1", "ScalingAdjustment=3");

        Map<String, Object> enforcer = container(cfn, "EnforcerTask");
        assertThat(environment(enforcer))
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.com:5432/uploadguard")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "uploadguard_app")
                .containsEntry("MANAGEMENT_SERVER_PORT", "8090")
                .doesNotContainKey("UPLOADGUARD_CORS_ALLOWED_ORIGINS");
        assertThat(secrets(enforcer))
                .containsExactlyEntriesOf(Map.of("SPRING_DATASOURCE_PASSWORD", Synth.EXTERNAL_SECRET + ":password::"));
        assertThat(cfn.properties("AWS::ECS::TaskDefinition", "EnforcerTask"))
                .containsEntry("TaskRoleArn", "${EnforcerRole.Arn}");
        // a deploy must not reset the count the scaling chose
        assertThat(cfn.properties("AWS::ECS::Service", "EnforcerService")).doesNotContainKey("DesiredCount");
        // the execution role reads the secret for ECS; the task role keeps to S3 and SQS
        assertThat(cfn.allowedFor("EnforcerRole")).noneMatch(pair -> pair.startsWith("secretsmanager:"));
        assertThat(cfn.ofType("AWS::RDS::DBCluster")).isEmpty();
        assertThat(cfn.ofType("AWS::EC2::VPC")).hasSize(1);
        // HTTP on 80 without a certificate
        assertThat(asMap(Cfn.norm(cfn.ofType("AWS::ElasticLoadBalancingV2::Listener")
                                .values()
                                .iterator()
                                .next()
                                .get("Properties")))
                        .get("Port"))
                .isEqualTo(80);
    }

    @SuppressWarnings("unchecked")
    private static List<String> bucketCorsOrigins(Cfn cfn) {
        Map<String, Object> cors =
                asMap(cfn.properties("AWS::S3::Bucket", "Uploads").get("CorsConfiguration"));
        return (List<String>) asMap(asList(cors.get("CorsRules")).get(0)).get("AllowedOrigins");
    }

    private static Map<String, Object> container(Cfn cfn, String task) {
        return asMap(asList(cfn.properties("AWS::ECS::TaskDefinition", task).get("ContainerDefinitions"))
                .get(0));
    }

    private static Map<String, Object> environment(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        asList(container.get("Environment"))
                .forEach(p -> env.put((String) asMap(p).get("Name"), asMap(p).get("Value")));
        return env;
    }

    private static Map<String, Object> secrets(Map<String, Object> container) {
        Map<String, Object> secrets = new java.util.LinkedHashMap<>();
        asList(container.get("Secrets"))
                .forEach(p -> secrets.put((String) asMap(p).get("Name"), asMap(p).get("ValueFrom")));
        return secrets;
    }
}
