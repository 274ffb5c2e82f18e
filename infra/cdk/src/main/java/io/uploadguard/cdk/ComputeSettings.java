package io.uploadguard.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the services run ({@code compute}) and the settings of each way: the Lambda artifacts and
 * the release schedule, the Fargate images, sizes and load balancer.
 *
 * @param kind {@code none} (the stack creates roles only), {@code lambda} or {@code fargate}
 * @param signerLambdaArtifact the signer's Lambda deployment package (default: the Maven build's)
 * @param enforcerLambdaArtifact the enforcer's Lambda deployment package (default: the Maven build's)
 * @param releaseSchedule EventBridge schedule of the function that releases expired reservations (lambda)
 * @param signerImageDirectory folder with the signer's Dockerfile (fargate)
 * @param enforcerImageDirectory folder with the enforcer's Dockerfile (fargate)
 * @param managementPort the actuator's port in the containers; the load balancer only health-checks it
 * @param loadBalancerCertificateArn an ACM certificate: the load balancer listens on 443 with it; none: 80
 * @param signerTasks signer tasks behind the load balancer
 * @param enforcerMinTasks fewest enforcer tasks (at least 1: the enforcer also releases expired reservations)
 * @param enforcerMaxTasks most enforcer tasks when the events queue is deep
 * @param taskCpu CPU units of each task (1024 = one vCPU)
 * @param taskMemoryMiB memory of each task
 * @param natGateways NAT gateways of the VPC (1 is cheapest; 2 keeps egress up when an AZ fails)
 */
record ComputeSettings(
        Kind kind,
        String signerLambdaArtifact,
        String enforcerLambdaArtifact,
        String releaseSchedule,
        String signerImageDirectory,
        String enforcerImageDirectory,
        int managementPort,
        String loadBalancerCertificateArn,
        int signerTasks,
        int enforcerMinTasks,
        int enforcerMaxTasks,
        int taskCpu,
        int taskMemoryMiB,
        int natGateways) {

    enum Kind {
        NONE,
        LAMBDA,
        FARGATE
    }

    /** Paths are relative to infra/cdk, where cdk.json and synth.sh run the app. */
    static final Map<String, String> DEFAULTS = ContextValues.defaults(
            "compute", "none",
            "signerLambdaArtifact",
                    "../../signer/target/uploadguard-signer-" + BuildInfo.projectVersion() + "-lambda.zip",
            "enforcerLambdaArtifact",
                    "../../enforcer/target/uploadguard-enforcer-" + BuildInfo.projectVersion() + "-lambda.zip",
            "releaseSchedule", "rate(1 minute)",
            "signerImageDirectory", "../../signer",
            "enforcerImageDirectory", "../../enforcer",
            "managementPort", "8090",
            "loadBalancerCertificateArn", "",
            "signerTasks", "2",
            "enforcerMinTasks", "1",
            "enforcerMaxTasks", "4",
            "taskCpu", "512",
            "taskMemoryMiB", "1024",
            "natGateways", "1");

    ComputeSettings {
        if (enforcerMinTasks < 1 || enforcerMaxTasks < enforcerMinTasks) {
            throw new IllegalArgumentException(
                    "enforcerMinTasks must be at least 1 (the enforcer releases expired reservations)"
                            + " and enforcerMaxTasks not below it");
        }
        if (signerTasks < 1) {
            throw new IllegalArgumentException("signerTasks must be at least 1");
        }
        if (natGateways < 1 || natGateways > 2) {
            throw new IllegalArgumentException("natGateways must be 1 or 2 (the VPC has two AZs)");
        }
        if (managementPort == 8080 || managementPort == 8081 || managementPort < 1024 || managementPort > 65_535) {
            throw new IllegalArgumentException(
                    "managementPort must be a free port from 1024 (not the services' 8080 or 8081)");
        }
    }

    static ComputeSettings from(ContextValues v) {
        return new ComputeSettings(
                v.choice("compute", Kind.class),
                v.text("signerLambdaArtifact"),
                v.text("enforcerLambdaArtifact"),
                v.text("releaseSchedule"),
                v.text("signerImageDirectory"),
                v.text("enforcerImageDirectory"),
                v.integer("managementPort"),
                v.optional("loadBalancerCertificateArn"),
                v.integer("signerTasks"),
                v.integer("enforcerMinTasks"),
                v.integer("enforcerMaxTasks"),
                v.integer("taskCpu"),
                v.integer("taskMemoryMiB"),
                v.integer("natGateways"));
    }

    /** The Lambda packages must exist at synth time: CDK zips and hashes them into the cloud assembly. */
    void requireLambdaArtifacts() {
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("signerLambdaArtifact", signerLambdaArtifact);
        artifacts.put("enforcerLambdaArtifact", enforcerLambdaArtifact);
        artifacts.forEach((key, path) -> {
            if (!Files.isRegularFile(Path.of(path))) {
                throw new IllegalArgumentException(key + ": no file at " + path
                        + " (build it with ./mvnw -B -DskipTests package, or pass -c " + key + "=<zip>)");
            }
        });
    }
}
