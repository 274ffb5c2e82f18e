package io.uploadguard.cdk;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.ServerlessV2ClusterInstanceProps;

/**
 * Aurora PostgreSQL Serverless v2 ({@code database=aurora}) in the VPC's isolated subnets, with a
 * generated secret, reachable on 5432 from the signer's and the enforcer's security groups only.
 *
 * <p>Serverless v2 rather than a fixed RDS instance: capacity follows the load in seconds (signing
 * bursts hit the quota ledger), storage grows by itself, and a reader for failover is one line.
 * A small RDS instance is cheaper when idle (about 12 against 45 USD a month); the services need
 * nothing Aurora-specific, so {@code datasourceUrl} can point at one instead.
 */
final class Database {

    static final int PORT = 5432;
    static final String USER = "uploadguard";

    private final DatabaseCluster cluster;

    Database(Stack stack, DatabaseSettings settings, Network network) {
        SecurityGroup securityGroup = SecurityGroup.Builder.create(stack, "DatabaseSecurityGroup")
                .vpc(network.vpc())
                .description("UploadGuard database: PostgreSQL from the signer and the enforcer only")
                .allowAllOutbound(false)
                .build();
        securityGroup.addIngressRule(network.signer(), Port.tcp(PORT), "signer");
        securityGroup.addIngressRule(network.enforcer(), Port.tcp(PORT), "enforcer");
        cluster = DatabaseCluster.Builder.create(stack, "Database")
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_16_6)
                        .build()))
                .credentials(Credentials.fromGeneratedSecret(USER))
                .defaultDatabaseName(settings.name())
                .writer(ClusterInstance.serverlessV2(
                        "Writer",
                        ServerlessV2ClusterInstanceProps.builder()
                                .publiclyAccessible(false)
                                .build()))
                .serverlessV2MinCapacity(settings.minCapacity())
                .serverlessV2MaxCapacity(settings.maxCapacity())
                .vpc(network.vpc())
                .vpcSubnets(SubnetSelection.builder()
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .build())
                .securityGroups(List.of(securityGroup))
                .port(PORT)
                .storageEncrypted(true)
                .deletionProtection(settings.deletionProtection())
                // the ledger is the quota's truth: a stack deletion leaves a final snapshot
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        CfnOutput.Builder.create(stack, "DatabaseEndpoint")
                .value(cluster.getClusterEndpoint().getHostname())
                .build();
        CfnOutput.Builder.create(stack, "DatabaseSecretArn")
                .value(cluster.getSecret().getSecretArn())
                .build();
    }

    /** What the services are given: the JDBC URL in their environment, the credentials in the secret. */
    DatabaseAccess access(DatabaseSettings settings) {
        String url =
                "jdbc:postgresql://" + cluster.getClusterEndpoint().getHostname() + ":" + PORT + "/" + settings.name();
        return new DatabaseAccess(
                url, null, cluster.getSecret(), cluster.getSecret().getSecretArn(), true);
    }
}
