package io.uploadguard.cdk;

import static io.uploadguard.cdk.Cfn.asList;
import static io.uploadguard.cdk.Cfn.asMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The notification options: a bus and a topic created by the stack (or a bus by name), the
 * enforcer's and the dispatch function's grants on exactly those, the enforcer's environment, and
 * the scheduled dispatch on the Lambda path.
 */
@Tag("integration")
class NotificationTargetsTest {

    static final String PUT_ON_BUS = "events:PutEvents ${NotificationBus.Arn}";
    static final String PUBLISH_TO_TOPIC = "sns:Publish ${NotificationTopic}";

    static Cfn lambda;
    static Cfn namedBus;
    static Cfn local;

    @BeforeAll
    static void synthesize() {
        lambda = new Cfn(Synth.notificationsLambda());
        namedBus = new Cfn(Synth.notificationsNamedBus());
        local = new Cfn(Synth.local());
    }

    @Test
    void theStackCreatesTheBusAndTheTopicWhenAsked() {
        assertThat(lambda.properties("AWS::Events::EventBus", "NotificationBus"))
                .containsEntry("Name", "UploadGuard-notifications");
        assertThat(lambda.ofType("AWS::SNS::Topic")).containsKey("NotificationTopic");
        assertThat(local.ofType("AWS::Events::EventBus")).isEmpty();
        assertThat(local.ofType("AWS::SNS::Topic")).doesNotContainKey("NotificationTopic");
        assertThat(local.ofType("AWS::Lambda::Function")).doesNotContainKey("DispatchFunction");
    }

    @Test
    void theEnforcerMayPutOnThatBusAndPublishToThatTopicOnly() {
        assertThat(lambda.allowedFor("EnforcerRole"))
                .contains(PUT_ON_BUS, PUBLISH_TO_TOPIC)
                .filteredOn(allow -> allow.startsWith("events:") || allow.startsWith("sns:"))
                .containsExactlyInAnyOrder(PUT_ON_BUS, PUBLISH_TO_TOPIC);
        assertThat(lambda.allowedFor("SignerRole"))
                .noneMatch(allow -> allow.startsWith("events:") || allow.startsWith("sns:"));
        assertThat(local.allowedFor("EnforcerRole"))
                .noneMatch(allow -> allow.startsWith("events:") || allow.startsWith("sns:"));
    }

    @Test
    void aBusGivenByNameIsGrantedByItsArn() {
        assertThat(namedBus.ofType("AWS::Events::EventBus")).isEmpty();
        assertThat(namedBus.allowedFor("EnforcerRole"))
                .filteredOn(allow -> allow.startsWith("events:"))
                .singleElement()
                .satisfies(allow ->
                        assertThat(allow).startsWith("events:PutEvents ").endsWith(":event-bus/default"));
    }

    @Test
    void theEnforcerFunctionsAreToldWhereToSend() {
        Map<String, Object> enforcer = environment("EnforcerFunction");
        assertThat(enforcer)
                .containsEntry("UPLOADGUARD_NOTIFICATIONS_EVENTBRIDGE_BUSNAME", "${NotificationBus}")
                .containsEntry("UPLOADGUARD_NOTIFICATIONS_SNS_TOPICARN", "${NotificationTopic}");
        assertThat(environment("SignerFunction"))
                .doesNotContainKeys(
                        "UPLOADGUARD_NOTIFICATIONS_EVENTBRIDGE_BUSNAME", "UPLOADGUARD_NOTIFICATIONS_SNS_TOPICARN");
    }

    @Test
    void onLambdaAScheduledFunctionDispatchesUnderARoleOfItsOwn() {
        Map<String, Object> rule = lambda.properties("AWS::Events::Rule", "DispatchSchedule");
        assertThat(rule).containsEntry("ScheduleExpression", "rate(1 minute)");
        assertThat(asList(rule.get("Targets")))
                .singleElement()
                .satisfies(target -> assertThat(asMap(target))
                        .containsEntry("Arn", "${DispatchFunction.Arn}")
                        .containsEntry("RetryPolicy", Map.of("MaximumRetryAttempts", 0)));
        Map<String, Object> fn = lambda.properties("AWS::Lambda::Function", "DispatchFunction");
        assertThat(fn).containsEntry("Role", "${DispatchRole.Arn}");
        assertThat(environment("DispatchFunction"))
                .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", ServiceFunctions.DISPATCH_DEFINITION)
                .containsEntry("UPLOADGUARD_NOTIFICATIONS_EVENTBRIDGE_BUSNAME", "${NotificationBus}");
        assertThat(lambda.allowedFor("DispatchRole"))
                .contains(PUT_ON_BUS, PUBLISH_TO_TOPIC)
                .noneMatch(allow -> allow.startsWith("s3:") || allow.startsWith("sqs:"));
    }

    private static Map<String, Object> environment(String function) {
        return asMap(asMap(lambda.properties("AWS::Lambda::Function", function).get("Environment"))
                .get("Variables"));
    }
}
