package io.uploadguard.enforcer.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.uploadguard.ledger.admin.AdminAction;
import io.uploadguard.security.ConditionalOnServerMode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Admin API metrics: {@code uploadguard_admin_actions_total{action, outcome}} and refused access.
 * Labels come from closed sets (the {@link AdminAction}s, done or refused, 401 or 403); neither the
 * operator nor the user acted on ever becomes a label. Every series exists from the start, so an
 * alert on a rate sees zero rather than nothing.
 */
@Component
@ConditionalOnServerMode
class AdminMetrics {

    private final Map<AdminAction, Counter> done = new EnumMap<>(AdminAction.class);
    private final Map<AdminAction, Counter> refused = new EnumMap<>(AdminAction.class);
    private final Counter unauthorized;
    private final Counter forbidden;

    AdminMetrics(MeterRegistry registry) {
        for (AdminAction action : AdminAction.values()) {
            done.put(action, actions(registry, action, "done"));
            refused.put(action, actions(registry, action, "refused"));
        }
        unauthorized = access(registry, "401");
        forbidden = access(registry, "403");
    }

    private static Counter actions(MeterRegistry registry, AdminAction action, String outcome) {
        return Counter.builder("uploadguard.admin.actions")
                .description("Admin actions by kind; refused ones changed nothing (unknown object, not in "
                        + "quarantine, over quota without force)")
                .tag("action", action.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .register(registry);
    }

    private static Counter access(MeterRegistry registry, String status) {
        return Counter.builder("uploadguard.admin.access.refused")
                .description(
                        "Admin API requests refused before any action: no valid token (401) or no admin role (403)")
                .tag("status", status)
                .register(registry);
    }

    void done(AdminAction action) {
        done.get(action).increment();
    }

    void refused(AdminAction action) {
        refused.get(action).increment();
    }

    void accessRefused(int status) {
        (status == 403 ? forbidden : unauthorized).increment();
    }
}
