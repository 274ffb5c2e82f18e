package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.inspection.Inspection;
import io.uploadguard.enforcer.metrics.EnforcerMetrics;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadAction;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.booking.SettleOutcome;
import io.uploadguard.ledger.booking.VerdictColumns;
import io.uploadguard.ledger.policy.KeyLayout;
import io.uploadguard.ledger.policy.QuotaPolicy;
import io.uploadguard.ledger.policy.UploadProfiles;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The books side of a verdict: the ledger, the profiles and quotas a verdict is decided by, and
 * booking a rejection (reserved or not) and counting a verdict once.
 */
@Component
class EnforcementBooks {

    private final QuotaLedger ledger;
    private final UploadProfiles profiles;
    private final QuotaPolicy quotas;
    private final KeyLayout layout;
    private final EnforcerMetrics metrics;
    private final SettledKeys settled;

    EnforcementBooks(
            QuotaLedger ledger,
            UploadProfiles profiles,
            QuotaPolicy quotas,
            KeyLayout layout,
            EnforcerMetrics metrics,
            SettledKeys settled) {
        this.ledger = ledger;
        this.profiles = profiles;
        this.quotas = quotas;
        this.layout = layout;
        this.metrics = metrics;
        this.settled = settled;
    }

    /** The keys this process booked verdicts for: their removal events need no look-up. */
    SettledKeys settled() {
        return settled;
    }

    QuotaLedger ledger() {
        return ledger;
    }

    UploadProfiles profiles() {
        return profiles;
    }

    QuotaPolicy quotas() {
        return quotas;
    }

    SettleOutcome reject(
            Inspection inspection,
            Optional<Upload> row,
            Verdict verdict,
            UploadAction action,
            String currentKey,
            Instant now) {
        if (row.isPresent()) {
            VerdictColumns columns = new VerdictColumns(
                    action, inspection.realSize(), inspection.detectedType(), inspection.eTag(), currentKey);
            return ledger.reject(
                    inspection.bucket(),
                    inspection.key(),
                    verdict.reasonNames(),
                    columns,
                    quotas.forUser(row.get().userId()),
                    now);
        }
        return ledger.recordUnreserved(
                inspection.bucket(),
                inspection.key(),
                layout.userSegmentOf(inspection.key()),
                verdict.reasonNames(),
                inspection.realSize(),
                inspection.detectedType(),
                inspection.eTag(),
                action,
                currentKey,
                quotas::forUser,
                now);
    }

    /**
     * Counts a verdict once, by the attempt that booked it: the same object may be settled by its
     * creation and, concurrently, by the removal event of the enforcer's own delete.
     */
    void countIfBooked(SettleOutcome booked, Verdict verdict, long bytes) {
        if (booked.changed()) {
            metrics.verdict(verdict, bytes, userBlocked(booked));
        }
    }

    private static boolean userBlocked(SettleOutcome booked) {
        if (booked instanceof SettleOutcome.Settled s) {
            return s.userBlocked();
        }
        if (booked instanceof SettleOutcome.Recorded r) {
            return r.userBlocked();
        }
        return false;
    }
}
