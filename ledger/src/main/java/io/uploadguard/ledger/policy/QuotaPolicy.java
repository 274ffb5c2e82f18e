package io.uploadguard.ledger.policy;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Quotas, bound from {@code uploadguard.quota.defaults.*} and {@code uploadguard.quota.users[<id>].*}.
 *
 * <p>A user entry is a whole quota: the limits it leaves out take {@link Quota}'s built-in defaults,
 * not the configured {@code defaults}. Put user ids in brackets, or Spring drops the characters of
 * the id that are not letters, digits or '-'.
 */
@ConfigurationProperties("uploadguard.quota")
public record QuotaPolicy(@DefaultValue Quota defaults, Map<String, Quota> users) {

    public QuotaPolicy {
        defaults = defaults == null ? Quota.DEFAULT : defaults;
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    public static QuotaPolicy defaultsOnly() {
        return new QuotaPolicy(Quota.DEFAULT, Map.of());
    }

    public Quota forUser(String userId) {
        return userId == null ? defaults : users.getOrDefault(userId, defaults);
    }
}
