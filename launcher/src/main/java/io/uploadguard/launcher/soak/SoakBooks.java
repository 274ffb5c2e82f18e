package io.uploadguard.launcher.soak;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.run.LocalSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The books after a soak, through the enforcer's admin API: each account against this run's
 * uploads, and the enforcer's own invariant check (bucket against ledger, counters against rows).
 */
final class SoakBooks {

    private final SoakRun run;
    private final SignerClient client;
    private final LocalSettings settings;

    SoakBooks(SoakRun run, SignerClient client, LocalSettings settings) {
        this.run = run;
        this.client = client;
        this.settings = settings;
    }

    /**
     * Each account against this run's uploads, through the admin API: used must be exactly the
     * accepted uploads (each once), reserved exactly the signed uploads that never arrived, and no
     * one blocked. Returns how many accounts were checked.
     */
    int checkBooks(List<SoakUpload> all, List<String> mismatches) {
        Map<String, List<SoakUpload>> byUser = new LinkedHashMap<>();
        all.stream()
                .filter(SoakUpload::signed)
                .forEach(u ->
                        byUser.computeIfAbsent(u.user, k -> new ArrayList<>()).add(u));
        for (Map.Entry<String, List<SoakUpload>> entry : byUser.entrySet()) {
            List<SoakUpload> own = entry.getValue();
            long bytesUsed = own.stream()
                    .filter(u -> "accepted".equals(u.status))
                    .mapToLong(u -> u.size)
                    .sum();
            long objectsUsed =
                    own.stream().filter(u -> "accepted".equals(u.status)).count();
            long bytesReserved = own.stream()
                    .filter(u -> u.status == null || SignerClient.awaitsVerdict(u.status))
                    .mapToLong(u -> u.size)
                    .sum();
            long objectsReserved = own.stream()
                    .filter(u -> u.status == null || SignerClient.awaitsVerdict(u.status))
                    .count();
            long violations =
                    own.stream().filter(u -> "rejected".equals(u.status)).count();
            JsonNode account;
            try {
                account = admin("/admin/users/" + URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)
                        + "?limit=1&auditLimit=1");
            } catch (RuntimeException e) {
                mismatches.add(entry.getKey() + ": " + e.getMessage());
                continue;
            }
            JsonNode usage = account.path("usage");
            List<String> differences = new ArrayList<>();
            compare(differences, "bytesUsed", usage.path("bytesUsed").asLong(-1), bytesUsed);
            compare(differences, "objectsUsed", usage.path("objectsUsed").asLong(-1), objectsUsed);
            compare(differences, "bytesReserved", usage.path("bytesReserved").asLong(-1), bytesReserved);
            compare(
                    differences,
                    "objectsReserved",
                    usage.path("objectsReserved").asLong(-1),
                    objectsReserved);
            compare(differences, "violations", account.path("violations").asLong(-1), violations);
            if (account.path("blocked").asBoolean(false)) {
                differences.add("blocked");
            }
            if (!differences.isEmpty()) {
                mismatches.add(entry.getKey() + ": " + String.join(", ", differences));
            }
        }
        return byUser.size();
    }

    private static void compare(List<String> differences, String what, long actual, long expected) {
        if (actual != expected) {
            differences.add(what + " " + actual + " (expected " + expected + ")");
        }
    }

    /**
     * The enforcer's invariant check with no grace for objects in {@code incoming/}: everything
     * should be settled by now. An object S3 kept despite an error answer may still be on its way
     * through the queue, so an unsettled object is looked at again for up to a minute.
     */
    SoakSummary.Reconciliation reconcile() {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode report;
        while (true) {
            try {
                report = admin("/admin/reconciliation?settleGrace=PT0S");
            } catch (RuntimeException e) {
                return new SoakSummary.Reconciliation(false, "could not run the check: " + e.getMessage());
            }
            boolean onlyInFlight = report.path("unsettledIncoming").size() > 0
                    && drift(report, false).isEmpty();
            if (report.path("consistent").asBoolean(false)
                    || !onlyInFlight
                    || !Instant.now().isBefore(deadline)) {
                break;
            }
            try {
                if (run.awaitAbort(Duration.ofSeconds(3))) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (report.path("consistent").asBoolean(false)) {
            return new SoakSummary.Reconciliation(
                    true,
                    "invariants hold (GET /admin/reconciliation: "
                            + report.path("incomingObjects").asLong()
                            + " objects in incoming/, no drift between the bucket "
                            + "and the ledger, every account's counters equal the sums of its upload rows)");
        }
        return new SoakSummary.Reconciliation(false, "DRIFT: " + String.join("; ", drift(report, true)));
    }

    private static List<String> drift(JsonNode report, boolean withUnsettled) {
        List<String> found = new ArrayList<>();
        Stream.of(
                        "unsettledIncoming",
                        "servedWithoutAcceptedUpload",
                        "acceptedWithoutServedObject",
                        "quarantinedWithoutUpload",
                        "quarantineUploadWithoutObject",
                        "accountDrift")
                .filter(field -> withUnsettled || !field.equals("unsettledIncoming"))
                .forEach(field -> {
                    JsonNode items = report.path(field);
                    if (items.size() > 0) {
                        found.add(field + " " + items.size() + ": " + abbreviate(items.toString()));
                    }
                });
        return found;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private JsonNode admin(String path) {
        SignerClient.Reply reply =
                client.get(settings.enforcerUrl() + path, settings.adminToken(), Duration.ofSeconds(60));
        if (reply.status() != 200) {
            throw new IllegalStateException("GET " + path.replaceFirst("\\?.*", "") + " answered " + reply.status()
                    + ": " + abbreviate(reply.body().toString()));
        }
        return reply.body();
    }
}
