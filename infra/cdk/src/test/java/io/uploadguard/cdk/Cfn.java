package io.uploadguard.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import software.amazon.awscdk.assertions.Template;

/**
 * Reads a synthesized template in a form tests can compare exactly: intrinsic functions become
 * text ({@code {"Fn::GetAtt":["Uploads4F6EB0FD","Arn"]}} is {@code ${Uploads.Arn}}, a join of it
 * and {@code "/incoming/*"} is {@code ${Uploads.Arn}/incoming/*}), logical ids lose CDK's hash,
 * single values become one-element lists where IAM allows both.
 */
final class Cfn {

    private static final Pattern HASH = Pattern.compile("[0-9A-F]{8}$");

    private final Map<String, Object> template;

    @SuppressWarnings("unchecked")
    Cfn(Template template) {
        this.template = (Map<String, Object>) template.toJSON();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    static String name(String logicalId) {
        return HASH.matcher(logicalId).replaceFirst("");
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) template.get("Resources");
    }

    /** Resources of a type, by name (logical id without its hash). */
    Map<String, Map<String, Object>> ofType(String type) {
        Map<String, Map<String, Object>> found = new TreeMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                found.put(name(id), r);
            }
        });
        return found;
    }

    /** The one resource of a type whose name (without hash) is {@code name}. */
    Map<String, Object> resource(String type, String name) {
        Map<String, Map<String, Object>> all = ofType(type);
        assertThat(all).as(type + " resources").containsKey(name);
        return all.get(name);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String type, String name) {
        return (Map<String, Object>) norm(resource(type, name).get("Properties"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> outputs() {
        return (Map<String, Object>) norm(template.get("Outputs"));
    }

    /** Replaces intrinsic functions with readable text, recursively. */
    @SuppressWarnings("unchecked")
    static Object norm(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> e = map.entrySet().iterator().next();
                String key = String.valueOf(e.getKey());
                if (key.equals("Ref")) {
                    String ref = String.valueOf(e.getValue());
                    return "${" + (ref.startsWith("AWS::") ? ref : name(ref)) + "}";
                }
                if (key.equals("Fn::GetAtt")) {
                    List<?> parts = (List<?>) e.getValue();
                    return "${" + name(String.valueOf(parts.get(0))) + "." + parts.get(1) + "}";
                }
                if (key.equals("Fn::Join")) {
                    List<?> parts = (List<?>) e.getValue();
                    StringBuilder joined = new StringBuilder();
                    List<?> items = (List<?>) parts.get(1);
                    for (int i = 0; i < items.size(); i++) {
                        if (i > 0) {
                            joined.append(parts.get(0));
                        }
                        joined.append(norm(items.get(i)));
                    }
                    return joined.toString();
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), norm(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(norm(v)));
            return out;
        }
        return value;
    }

    /** A policy statement in canonical form: Action/Resource/NotResource as sorted lists, conditions sorted. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> statement(Map<String, Object> raw) {
        Map<String, Object> s = new TreeMap<>();
        raw.forEach((k, v) -> {
            switch (k) {
                case "Action", "NotAction", "Resource", "NotResource" -> s.put(k, sortedList(v));
                case "Condition" -> {
                    Map<String, Object> conditions = new TreeMap<>();
                    ((Map<String, Object>) v).forEach((op, keys) -> {
                        Map<String, Object> byKey = new TreeMap<>();
                        ((Map<String, Object>) keys).forEach((ck, cv) -> byKey.put(ck, sortedList(cv)));
                        conditions.put(op, byKey);
                    });
                    s.put(k, conditions);
                }
                default -> s.put(k, v);
            }
        });
        return s;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(Map<String, Object> policyDocument) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object st : (List<Object>) policyDocument.get("Statement")) {
            out.add(statement((Map<String, Object>) st));
        }
        return out;
    }

    static List<String> sortedList(Object v) {
        Set<String> items = new TreeSet<>();
        if (v instanceof Collection<?> c) {
            c.forEach(i -> items.add(String.valueOf(i)));
        } else {
            items.add(String.valueOf(v));
        }
        return new ArrayList<>(items);
    }

    /**
     * Every "action resource" pair a role is allowed by the policies attached to it in this
     * template (AWS::IAM::Policy resources, inline policies), plus "managed:ARN" for managed ones.
     */
    @SuppressWarnings("unchecked")
    Set<String> allowedFor(String roleName) {
        Set<String> pairs = new TreeSet<>();
        Map<String, Object> role = properties("AWS::IAM::Role", roleName);
        for (Object managed : (List<Object>) role.getOrDefault("ManagedPolicyArns", List.of())) {
            pairs.add("managed:" + managed);
        }
        for (Object inline : (List<Object>) role.getOrDefault("Policies", List.of())) {
            addAllows(pairs, (Map<String, Object>) ((Map<String, Object>) inline).get("PolicyDocument"));
        }
        ofType("AWS::IAM::Policy").forEach((name, policy) -> {
            Map<String, Object> props = (Map<String, Object>) norm(policy.get("Properties"));
            if (((List<Object>) props.getOrDefault("Roles", List.of())).contains("${" + roleName + "}")) {
                addAllows(pairs, (Map<String, Object>) props.get("PolicyDocument"));
            }
        });
        return pairs;
    }

    private static void addAllows(Set<String> pairs, Map<String, Object> document) {
        for (Map<String, Object> st : statements(document)) {
            assertThat(st.get("Effect")).isEqualTo("Allow");
            assertThat(st)
                    .as("identity policies here carry no conditions or NotAction/NotResource: " + st)
                    .doesNotContainKeys("Condition", "NotAction", "NotResource");
            for (String action : sortedList(st.get("Action"))) {
                for (String resource : sortedList(st.get("Resource"))) {
                    pairs.add(action + " " + resource);
                }
            }
        }
    }
}
