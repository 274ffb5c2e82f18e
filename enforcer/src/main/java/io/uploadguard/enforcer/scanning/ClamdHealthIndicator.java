package io.uploadguard.enforcer.scanning;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * clamd answers PING. Also probed on a schedule, so that the reachability gauge (and the "scanner
 * down" alert on it) is current when no uploads arrive.
 */
class ClamdHealthIndicator implements HealthIndicator {

    private final ClamdClient clamd;
    private final ScanMetrics metrics;

    ClamdHealthIndicator(ClamdClient clamd, ScanMetrics metrics) {
        this.clamd = clamd;
        this.metrics = metrics;
    }

    @Override
    public Health health() {
        boolean up = probe();
        Health.Builder health = up ? Health.up() : Health.down();
        return health.withDetail("address", clamd.address()).build();
    }

    @Scheduled(fixedDelayString = "${uploadguard.scanner.probe-interval:15s}", initialDelay = 0)
    void probeOnSchedule() {
        probe();
    }

    private boolean probe() {
        boolean up = clamd.ping();
        metrics.reachable(up);
        return up;
    }
}
