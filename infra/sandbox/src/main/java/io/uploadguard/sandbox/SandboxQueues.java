package io.uploadguard.sandbox;

import io.uploadguard.sandbox.faults.Restartable;
import io.uploadguard.sandbox.faults.TcpRelay;
import java.net.URI;
import java.util.Deque;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The sandbox's SQS: ElasticMQ on a private port behind a relay on the public one, with the events
 * queue and its dead-letter queue. A fault test can cut the relay (SQS unreachable) without losing
 * the in-memory queues, and the sandbox's own S3 notifications keep reaching SQS meanwhile, as
 * AWS's do.
 */
record SandboxQueues(
        String endpoint,
        Restartable relay,
        SqsClient client,
        String eventsUrl,
        String eventsArn,
        String deadLetterUrl,
        String deadLetterArn) {

    private static final String ACCOUNT_ID = "000000000000";

    /** Starts the server, the relay and a client straight to the server; each is pushed on {@code parts}. */
    static SandboxQueues start(SandboxConfig config, int publicPort, Deque<AutoCloseable> parts) throws Exception {
        int serverPort = Sandbox.reservePort(config.host(), 0, "SQS (behind the relay)");
        SQSRestServer server = SQSRestServerBuilder.withInterface(config.host())
                .withPort(serverPort)
                // queue URLs must name the port clients use (the relay's), not ElasticMQ's default 9324
                .withServerAddress(new NodeAddress("http", config.host(), publicPort, ""))
                .withAWSRegion(config.region())
                .withAWSAccountId(ACCOUNT_ID)
                .start();
        parts.push(server::stopAndWait);
        server.waitUntilStarted();
        Restartable relay = new Restartable("SQS", () -> TcpRelay.start(config.host(), publicPort, serverPort));
        relay.start();
        parts.push(relay);

        SqsClient sqs = SqsClient.builder()
                .endpointOverride(URI.create("http://" + config.host() + ":" + serverPort))
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKey(), config.secretKey())))
                .build();
        parts.push(sqs);

        String dlqUrl = sqs.createQueue(r -> r.queueName(config.deadLetterQueue())
                        .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")))
                .queueUrl();
        String dlqArn = arn(sqs, dlqUrl);
        String redrive =
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + config.maxReceiveCount() + "\"}";
        String url = sqs.createQueue(r -> r.queueName(config.eventsQueue())
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Long.toString(config.visibilityTimeout().toSeconds()),
                                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                                "345600",
                                QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                                "262144",
                                QueueAttributeName.REDRIVE_POLICY,
                                redrive)))
                .queueUrl();
        return new SandboxQueues(
                "http://" + config.host() + ":" + publicPort, relay, sqs, url, arn(sqs, url), dlqUrl, dlqArn);
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }
}
