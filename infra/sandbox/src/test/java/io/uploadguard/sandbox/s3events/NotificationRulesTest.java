package io.uploadguard.sandbox.s3events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NotificationRulesTest {

    private static final String ARN = "arn:aws:sqs:elasticmq:000000000000:events";

    @Test
    void wildcardPatternsMatchTheirFamilyOnly() {
        assertThat(NotificationRules.Rule.eventMatches("s3:ObjectCreated:*", "ObjectCreated:Put"))
                .isTrue();
        assertThat(NotificationRules.Rule.eventMatches("s3:ObjectCreated:*", "ObjectCreated:CompleteMultipartUpload"))
                .isTrue();
        assertThat(NotificationRules.Rule.eventMatches("s3:ObjectCreated:*", "ObjectRemoved:Delete"))
                .isFalse();
        assertThat(NotificationRules.Rule.eventMatches("s3:ObjectCreated:Copy", "ObjectCreated:Put"))
                .isFalse();
        assertThat(NotificationRules.Rule.eventMatches("s3:ObjectCreated:Copy", "ObjectCreated:Copy"))
                .isTrue();
    }

    @Test
    void theDefaultsWatchIncomingWritesAndServedRemovals() {
        var rules = new NotificationRules();
        rules.put("b", NotificationRules.uploadGuardDefaults(ARN));

        assertThat(rules.matching("b", "ObjectCreated:Put", "incoming/u/x.png")).hasSize(1);
        assertThat(rules.matching("b", "ObjectRemoved:Delete", "incoming/u/x.png"))
                .hasSize(1);
        assertThat(rules.matching("b", "ObjectRemoved:Delete", "served/u/x.png"))
                .hasSize(1);
        assertThat(rules.matching("b", "ObjectCreated:Copy", "served/u/x.png")).isEmpty();
        assertThat(rules.matching("b", "ObjectCreated:Copy", "quarantine/u/x.png"))
                .isEmpty();
        assertThat(rules.matching("other", "ObjectCreated:Put", "incoming/u/x.png"))
                .isEmpty();
    }

    @Test
    void overlappingRulesAreRefusedLikeS3RefusesThem() {
        String json = """
                {"QueueConfigurations": [
                  {"Id": "a", "QueueArn": "%s", "Events": ["s3:ObjectCreated:*"],
                   "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}]}}},
                  {"Id": "b", "QueueArn": "%s", "Events": ["s3:ObjectCreated:Put"],
                   "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/sub/"}]}}}
                ]}""".formatted(ARN, ARN);

        assertThatThrownBy(() -> new NotificationRules().put("b", NotificationRules.parseJson(json)))
                .hasMessageContaining("overlap");
    }

    @Test
    void awsJsonFormIsRead() {
        String json = """
                {"QueueConfigurations": [
                  {"Id": "pngs", "QueueArn": "%s", "Events": ["s3:ObjectCreated:*"],
                   "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "in/"}, {"Name": "Suffix", "Value": ".png"}]}}}
                ]}""".formatted(ARN);
        var rules = new NotificationRules();

        var parsed = rules.put("b", NotificationRules.parseJson(json));

        assertThat(parsed)
                .containsExactly(new NotificationRules.Rule(
                        "pngs", ARN, java.util.List.of("s3:ObjectCreated:*"), "in/", ".png"));
    }

    @Test
    void topicsAndLambdasAreRefusedWithAReason() {
        assertThatThrownBy(() -> NotificationRules.parseJson("{\"TopicConfigurations\":[{\"TopicArn\":\"x\"}]}"))
                .hasMessageContaining("only to SQS");
    }
}
