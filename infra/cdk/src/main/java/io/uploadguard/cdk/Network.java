package io.uploadguard.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;

/**
 * The VPC, created when Fargate or the database needs one: two AZs, public subnets (load balancer,
 * NAT), private subnets with egress (the services) and isolated subnets (the database), one
 * security group per service.
 *
 * <p>Egress goes through NAT ({@code natGateways}, one by default) rather than interface endpoints:
 * the services need ECR, CloudWatch Logs, SQS, Secrets Manager and the identity provider's keys on
 * the internet, which would be five interface endpoints in two AZs (about 73 USD a month) and still
 * no internet; one NAT gateway costs about 33 USD a month plus its data. S3, the bulk of the
 * traffic, takes the free gateway endpoint and no NAT data charge.
 */
final class Network {

    static final SubnetSelection SERVICE_SUBNETS =
            SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();

    private final Vpc vpc;
    private final SecurityGroup signer;
    private final SecurityGroup enforcer;

    Network(Stack stack, UploadGuardSettings settings) {
        vpc = Vpc.Builder.create(stack, "Vpc")
                .ipAddresses(IpAddresses.cidr("10.40.0.0/16"))
                .maxAzs(2)
                .natGateways(settings.computeOptions().natGateways())
                .subnetConfiguration(List.of(
                        subnet("public", SubnetType.PUBLIC),
                        subnet("services", SubnetType.PRIVATE_WITH_EGRESS),
                        subnet("database", SubnetType.PRIVATE_ISOLATED)))
                .gatewayEndpoints(Map.of(
                        "S3",
                        GatewayVpcEndpointOptions.builder()
                                .service(GatewayVpcEndpointAwsService.S3)
                                .build()))
                .build();
        signer = securityGroup(stack, "SignerSecurityGroup", "UploadGuard signer (tasks or Lambda)");
        enforcer = securityGroup(stack, "EnforcerSecurityGroup", "UploadGuard enforcer (tasks or Lambdas)");
    }

    Vpc vpc() {
        return vpc;
    }

    SecurityGroup signer() {
        return signer;
    }

    SecurityGroup enforcer() {
        return enforcer;
    }

    private SecurityGroup securityGroup(Stack stack, String id, String description) {
        return SecurityGroup.Builder.create(stack, id)
                .vpc(vpc)
                .description(description)
                .allowAllOutbound(true)
                .build();
    }

    private static SubnetConfiguration subnet(String name, SubnetType type) {
        return SubnetConfiguration.builder()
                .name(name)
                .subnetType(type)
                .cidrMask(22)
                .build();
    }
}
