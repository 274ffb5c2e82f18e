package io.uploadguard.enforcer.reconciliation;

import io.uploadguard.enforcer.admin.AdminIdentity;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.ConditionalOnServerMode;
import io.uploadguard.security.LogSafe;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reconciliation job for operators: {@code GET /admin/reconciliation} reports drift between
 * the bucket and the ledger; {@code POST /admin/reconciliation/repair} also sets drifted account
 * counters back to the sums of their upload rows, with an audit row per account repaired. Admin
 * role required, like all of {@code /admin}.
 */
@RestController
@RequestMapping("/admin/reconciliation")
@ConditionalOnServerMode
public class ReconciliationController {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationController.class);
    private static final Duration MAX_GRACE = Duration.ofDays(1);

    private final Reconciler reconciler;
    private final AdminIdentity identity;

    ReconciliationController(Reconciler reconciler, AdminIdentity identity) {
        this.reconciler = reconciler;
        this.identity = identity;
    }

    @GetMapping
    Reconciler.Report report(@RequestParam(required = false) String settleGrace) {
        return reconciler.check(grace(settleGrace));
    }

    @PostMapping("/repair")
    Reconciler.Report repair(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) String settleGrace) {
        String actor = identity.of(token);
        Reconciler.Report report = reconciler.repair(grace(settleGrace), actor);
        log.warn(
                "reconciliation repair by {}: {} account(s) set back to the sums of their rows; consistent now: {}",
                LogSafe.escape(actor),
                report.repaired().size(),
                report.consistent());
        return report;
    }

    /** How old an incoming object may be before it counts as unsettled; 5 minutes unless given (ISO-8601). */
    private static Duration grace(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ofMinutes(5);
        }
        try {
            Duration grace = Duration.parse(text);
            if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
                throw ApiException.malformed("settleGrace must be between PT0S and P1D");
            }
            return grace;
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.malformed("settleGrace must be an ISO-8601 duration such as PT5M");
        }
    }
}
