package io.uploadguard.enforcer.notifications;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the dispatcher on threads of its own (not the shared scheduler, whose one thread the
 * enforcer's other jobs need): a round every poll interval, and at once again while rounds come
 * back full. Also refreshes the backlog gauges and prunes delivered events past their retention.
 */
final class DispatcherLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DispatcherLoop.class);

    private final NotificationDispatcher dispatcher;
    private final NotificationProperties properties;
    private ScheduledExecutorService scheduler;

    DispatcherLoop(NotificationDispatcher dispatcher, NotificationProperties properties) {
        this.dispatcher = dispatcher;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "notification-dispatcher");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(
                this::drain, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::refreshMetrics, 0, properties.metricsInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    private void drain() {
        try {
            while (!Thread.currentThread().isInterrupted() && dispatcher.dispatchOnce() >= properties.batchSize()) {
                // a full batch: there may be more right now
            }
        } catch (RuntimeException e) {
            // the ledger unreachable, most likely: nothing was lost, the next round tries again
            log.warn("notification round failed: {}", e.toString());
        }
    }

    private void refreshMetrics() {
        // apart, so that a failed read of the backlog never skips pruning, nor the reverse
        try {
            dispatcher.refreshMetrics();
        } catch (RuntimeException e) {
            log.warn("reading the notification backlog failed: {}", e.toString());
        }
        try {
            dispatcher.prune();
        } catch (RuntimeException e) {
            log.warn("pruning delivered notifications failed: {}", e.toString());
        }
    }
}
