package io.uploadguard.benchmarks.notifications;

import io.uploadguard.launcher.run.BackendReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A backend for the notification benchmark: the local run's receiver (each webhook's Standard
 * Webhooks signature verified, as a backend would) on a free loopback port. Writes its URL and
 * secret to {@code out} (owner-only: the script hands the secret to the enforcer by environment),
 * then, once deliveries have started and paused for {@code quiet} seconds, the first batch as
 * {@code notifications.backlog.*} to {@code results}: how many, over how long, how many per second.
 * After that it keeps receiving and rewrites {@code out}.tally with the running total, until killed.
 *
 * <p>Usage: {@code WebhookSink out=<file> results=<file> [quiet=3]}
 */
public final class WebhookSink {

    private WebhookSink() {}

    public static void main(String[] args) throws Exception {
        Path out = null;
        Path results = null;
        Duration quiet = Duration.ofSeconds(3);
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            switch (pair[0]) {
                case "out" -> out = Path.of(pair[1]);
                case "results" -> results = Path.of(pair[1]);
                case "quiet" -> quiet = Duration.ofSeconds(Long.parseLong(pair[1]));
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (out == null || results == null) {
            throw new IllegalArgumentException("usage: WebhookSink out=<file> results=<file> [quiet=3]");
        }
        BackendReceiver receiver = BackendReceiver.start();
        Files.deleteIfExists(out);
        Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(out, "url=" + receiver.hookUrl() + "\nsecret=" + receiver.secret() + "\n");
        Path tallyFile = Path.of(out + ".tally");
        boolean reported = false;
        while (true) {
            BackendReceiver.Tally tally = receiver.tally();
            if (!reported && tally.events() > 0 && tally.last().plus(quiet).isBefore(Instant.now())) {
                report(tally, results);
                reported = true;
            }
            Files.writeString(tallyFile, tally.events() + (reported ? " backlog-reported" : "") + "\n");
            Thread.sleep(200); // a sampling period, not synchronisation
        }
    }

    private static void report(BackendReceiver.Tally tally, Path results) throws IOException {
        double seconds = Duration.between(tally.first(), tally.last()).toNanos() / 1e9;
        double rate = seconds > 0 ? (tally.events() - 1) / seconds : Double.NaN;
        String lines = String.format(
                Locale.ROOT,
                "notifications.backlog.count=%d%nnotifications.backlog.seconds=%.2f%nnotifications.backlog.perSecond=%.0f%n",
                tally.events(),
                seconds,
                rate);
        Files.writeString(results, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.printf(
                Locale.ROOT,
                "webhook sink: a backlog of %d notifications delivered in %.2f s: %.0f/s%n",
                tally.events(),
                seconds,
                rate);
    }
}
