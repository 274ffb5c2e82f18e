package io.uploadguard.sandbox.s3events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3KeyFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bucket notification configurations, as S3 keeps them: per bucket, queue configurations with
 * event name patterns and key prefix/suffix filters. S3Proxy answers 501 to
 * PutBucketNotificationConfiguration, so the sandbox takes them from its configuration file or its
 * Java API instead, in the SDK's own model so that tests can hand LocalStack the very same object.
 */
final class NotificationRules {

    /** One queue configuration, flattened for matching. */
    record Rule(String id, String queueArn, List<String> events, String prefix, String suffix) {

        boolean matches(String eventName, String key) {
            return key.startsWith(prefix)
                    && key.endsWith(suffix)
                    && events.stream().anyMatch(pattern -> eventMatches(pattern, eventName));
        }

        /** "s3:ObjectCreated:*" matches "ObjectCreated:Put"; "s3:ObjectCreated:Put" only itself. */
        static boolean eventMatches(String pattern, String eventName) {
            String p = pattern.startsWith("s3:") ? pattern.substring(3) : pattern;
            if (p.endsWith(":*")) {
                return eventName.startsWith(p.substring(0, p.length() - 1));
            }
            return p.equals(eventName);
        }

        boolean overlaps(Rule other) {
            boolean sameEvents =
                    events.stream().anyMatch(a -> other.events.stream().anyMatch(b -> patternsOverlap(a, b)));
            boolean prefixes = prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix);
            boolean suffixes = suffix.endsWith(other.suffix) || other.suffix.endsWith(suffix);
            return sameEvents && prefixes && suffixes;
        }

        /** True when some event name is matched by both patterns. */
        static boolean patternsOverlap(String a, String b) {
            String x = a.startsWith("s3:") ? a.substring(3) : a;
            String y = b.startsWith("s3:") ? b.substring(3) : b;
            String xFamily = x.endsWith(":*") ? x.substring(0, x.length() - 1) : null;
            String yFamily = y.endsWith(":*") ? y.substring(0, y.length() - 1) : null;
            if (xFamily != null && yFamily != null) {
                return xFamily.equals(yFamily);
            }
            if (xFamily != null) {
                return y.startsWith(xFamily);
            }
            if (yFamily != null) {
                return x.startsWith(yFamily);
            }
            return x.equals(y);
        }
    }

    private final Map<String, List<Rule>> byBucket = new ConcurrentHashMap<>();

    /** Replaces a bucket's configuration, refusing overlapping rules the way S3 does. */
    List<Rule> put(String bucket, NotificationConfiguration configuration) {
        List<Rule> rules = new ArrayList<>();
        for (QueueConfiguration queue : configuration.queueConfigurations()) {
            String prefix = "";
            String suffix = "";
            if (queue.filter() != null && queue.filter().key() != null) {
                for (FilterRule rule : queue.filter().key().filterRules()) {
                    String name = rule.nameAsString() == null
                            ? ""
                            : rule.nameAsString().toLowerCase();
                    switch (name) {
                        case "prefix" -> prefix = rule.value();
                        case "suffix" -> suffix = rule.value();
                        default ->
                            throw new IllegalArgumentException(
                                    "filter rule name must be prefix or suffix, not " + rule.nameAsString());
                    }
                }
            }
            if (queue.eventsAsStrings().isEmpty()) {
                throw new IllegalArgumentException("queue configuration " + queue.id() + " has no events");
            }
            String id = queue.id() == null ? "rule-" + (rules.size() + 1) : queue.id();
            Rule candidate = new Rule(id, queue.queueArn(), List.copyOf(queue.eventsAsStrings()), prefix, suffix);
            for (Rule existing : rules) {
                if (existing.overlaps(candidate)) {
                    throw new IllegalArgumentException("Configurations overlap: " + existing.id() + " and "
                            + candidate.id() + " share event types and overlapping prefix/suffix filters");
                }
            }
            rules.add(candidate);
        }
        byBucket.put(bucket, List.copyOf(rules));
        return rules;
    }

    List<Rule> matching(String bucket, String eventName, String key) {
        return byBucket.getOrDefault(bucket, List.of()).stream()
                .filter(rule -> rule.matches(eventName, key))
                .toList();
    }

    /**
     * What the sandbox watches unless told otherwise: every object created or removed under
     * {@code incoming/} (where signed uploads land) and every removal under {@code served/} (so a
     * deleted accepted object gives its bytes back). The enforcer's own writes to {@code served/}
     * and {@code quarantine/} create no events.
     */
    static NotificationConfiguration uploadGuardDefaults(String queueArn) {
        return NotificationConfiguration.builder()
                .queueConfigurations(
                        queue("incoming-created", queueArn, "s3:ObjectCreated:*", "incoming/"),
                        queue("incoming-removed", queueArn, "s3:ObjectRemoved:*", "incoming/"),
                        queue("served-removed", queueArn, "s3:ObjectRemoved:*", "served/"))
                .build();
    }

    private static QueueConfiguration queue(String id, String arn, String event, String prefix) {
        return QueueConfiguration.builder()
                .id(id)
                .queueArn(arn)
                .eventsWithStrings(event)
                .filter(NotificationConfigurationFilter.builder()
                        .key(S3KeyFilter.builder()
                                .filterRules(FilterRule.builder()
                                        .name(FilterRuleName.PREFIX)
                                        .value(prefix)
                                        .build())
                                .build())
                        .build())
                .build();
    }

    /** Reads AWS's JSON form, as accepted by {@code aws s3api put-bucket-notification-configuration}. */
    static NotificationConfiguration parseJson(String json) {
        JsonNode root = JsonMapper.builder().build().readTree(json);
        List<QueueConfiguration> queues = new ArrayList<>();
        for (JsonNode q : root.path("QueueConfigurations")) {
            QueueConfiguration.Builder b =
                    QueueConfiguration.builder().id(q.path("Id").asString(null)).queueArn(required(q, "QueueArn"));
            List<String> events = new ArrayList<>();
            q.path("Events").forEach(e -> events.add(e.asString()));
            b.eventsWithStrings(events);
            List<FilterRule> filterRules = new ArrayList<>();
            for (JsonNode r : q.path("Filter").path("Key").path("FilterRules")) {
                filterRules.add(FilterRule.builder()
                        .name(required(r, "Name"))
                        .value(required(r, "Value"))
                        .build());
            }
            if (!filterRules.isEmpty()) {
                b.filter(NotificationConfigurationFilter.builder()
                        .key(S3KeyFilter.builder().filterRules(filterRules).build())
                        .build());
            }
            queues.add(b.build());
        }
        for (String unsupported : List.of("TopicConfigurations", "LambdaFunctionConfigurations")) {
            if (root.has(unsupported) && !root.path(unsupported).isEmpty()) {
                throw new IllegalArgumentException(
                        "the sandbox delivers only to SQS queues; " + unsupported + " is not supported");
            }
        }
        return NotificationConfiguration.builder().queueConfigurations(queues).build();
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("notification configuration: missing " + field + " in " + node);
        }
        return value.asString();
    }
}
