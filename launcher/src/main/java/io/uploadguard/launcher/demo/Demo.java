package io.uploadguard.launcher.demo;

import io.uploadguard.launcher.cli.SignerClient;
import io.uploadguard.launcher.run.LocalSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The story UploadGuard tells, run against the running pipeline, each step with its outcome:
 * an honest upload accepted, a disguised page quarantined, a byte too many refused by S3, a user
 * over quota refused at signing, and the metrics that moved. After each verdict, the notification
 * the local backend (the launcher's webhook receiver) got about it, signed and with its reference.
 */
public final class Demo {

    private static final Pattern SAMPLE =
            Pattern.compile("^(uploadguard_[a-z_]+_total)\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    private final LocalSettings settings;
    private static final Duration NOTIFICATION_WAIT = Duration.ofSeconds(30);

    private final SignerClient client;
    private final PrintStream out;
    private int failures;

    public Demo(LocalSettings settings, PrintStream out) {
        this.settings = settings;
        this.client = new SignerClient(settings.signerUrl());
        this.out = out;
    }

    /** True when every step came out as the story says. */
    public boolean run() {
        Map<String, Double> before = counters();

        JsonNode honest = uploadAndWait("1. an honest PNG", Samples.png(), "image/png", "avatar of account 42");
        check(
                "1. an honest PNG is accepted and served",
                honest != null && "accepted".equals(honest.get("status").asString()),
                describe(honest));
        backendWasTold("1. the backend was told", honest, "upload.accepted");

        JsonNode disguised =
                uploadAndWait("2. HTML posing as a PNG", Samples.disguisedHtml(), "image/png", "avatar of account 43");
        check(
                "2. HTML posing as a PNG is quarantined",
                disguised != null
                        && "rejected".equals(disguised.get("status").asString())
                        && disguised.get("reasons").toString().contains("TYPE_MISMATCH"),
                describe(disguised));
        backendWasTold("2. the backend was told", disguised, "upload.rejected");

        byte[] png = Samples.png();
        var signed = client.sign(settings.demoToken(), "avatar", "image/png", png.length, "pixel.png");
        byte[] oneMore = java.util.Arrays.copyOf(png, png.length + 1);
        int put = signed.status() == 201 ? client.put(signed.body(), oneMore) : -1;
        check(
                "3. one byte more than signed is refused by S3",
                put == 403 || put == 400,
                "signed " + png.length + " bytes, sent " + oneMore.length + ": storage answered HTTP " + put);

        int signedCount = 0;
        SignerClient.Reply refusal = null;
        for (int i = 0; i < 5 && refusal == null; i++) {
            var reply = client.sign(settings.smallQuotaToken(), "avatar", "image/png", 100, null);
            if (reply.status() == 201) {
                signedCount++;
            } else {
                refusal = reply;
            }
        }
        check(
                "4. a user over quota is refused at signing",
                refusal != null
                        && refusal.status() == 429
                        && "quota_exceeded".equals(refusal.body().get("error").asString()),
                "user " + settings.smallQuotaUser() + " (2 objects) got " + signedCount + " URL(s), then "
                        + (refusal == null
                                ? "no refusal"
                                : "HTTP " + refusal.status() + " "
                                        + refusal.body().get("error")));

        Map<String, Double> after = counters();
        out.println("5. the metrics that moved:");
        after.forEach((series, value) -> {
            double delta = value - before.getOrDefault(series, 0.0);
            if (delta > 0) {
                out.printf("     %-100s +%.0f%n", series, delta);
            }
        });
        check(
                "5. signing and verdict counters moved",
                after.keySet().stream().anyMatch(k -> k.startsWith("uploadguard_verdicts_total"))
                        && moved(before, after, "uploadguard_signing_requests_total"),
                "");

        malwareIsQuarantined();

        out.println(
                failures == 0
                        ? "demo passed: every step came out as expected"
                        : "demo FAILED: " + failures + " step(s)");
        return failures == 0;
    }

    /**
     * Under the {@code document} profile, which is scanned whenever the enforcer has a scanner; by a
     * user of its own, so that repeated demos do not get the demo user blocked for violations.
     */
    private void malwareIsQuarantined() {
        String step = "6. a file carrying the test signature is quarantined as MALWARE";
        if (!Pattern.compile("^uploadguard_scanner_reachable\\{[^}]*scanner=\"clamd\"", Pattern.MULTILINE)
                .matcher(client.scrape(settings.enforcerUrl()))
                .find()) {
            out.println("[skipped] " + step + ": the enforcer has no clamd (the local run starts one where"
                    + " Debian's clamav-daemon is installed)");
            return;
        }
        String token = io.uploadguard.security.LocalTokens.mint(
                settings.hmacSecret(), "demo-scan-" + java.util.UUID.randomUUID(), Duration.ofMinutes(5));
        String pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
                + io.uploadguard.sandbox.client.ClamdServer.EICAR;
        byte[] bytes = pdf.getBytes(StandardCharsets.US_ASCII);
        var signed = client.sign(token, "document", "application/pdf", bytes.length, "invoice.pdf");
        int put = signed.status() == 201 ? client.put(signed.body(), bytes) : -1;
        JsonNode verdict = put != 200
                ? null
                : client.awaitVerdict(token, signed.body().get("uploadId").asString(), Duration.ofSeconds(60));
        check(
                step,
                verdict != null
                        && "rejected".equals(verdict.get("status").asString())
                        && verdict.get("reasons").toString().contains("MALWARE"),
                verdict != null ? describe(verdict) : "signing answered HTTP " + signed.status() + ", storage " + put);
    }

    private JsonNode uploadAndWait(String what, byte[] bytes, String contentType, String clientReference) {
        var signed = client.sign(settings.demoToken(), "avatar", contentType, bytes.length, null, clientReference);
        if (signed.status() != 201) {
            out.println("   " + what + ": signing answered HTTP " + signed.status() + " " + signed.body());
            return null;
        }
        int put = client.put(signed.body(), bytes);
        if (put != 200) {
            out.println("   " + what + ": storage answered HTTP " + put);
            return null;
        }
        return client.awaitVerdict(
                settings.demoToken(), signed.body().get("uploadId").asString(), Duration.ofSeconds(60));
    }

    /**
     * The local receiver verified a signed webhook of {@code type} about the upload, with the
     * client reference given at signing. Delivery follows the verdict by up to a poll interval.
     */
    private void backendWasTold(String step, JsonNode upload, String type) {
        if (upload == null || !upload.hasNonNull("uploadId")) {
            check(step, false, "no upload to be told about");
            return;
        }
        String uploadId = upload.get("uploadId").asString();
        Instant deadline = Instant.now().plus(NOTIFICATION_WAIT);
        JsonNode events = client.get(settings.receiverUrl() + "/events?uploadId=" + uploadId)
                .body();
        while (!told(events, type) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(250); // polling the receiver for a person, not synchronising a test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            events = client.get(settings.receiverUrl() + "/events?uploadId=" + uploadId)
                    .body();
        }
        check(step, told(events, type), "signed webhook(s) verified by the receiver: " + events);
    }

    private static boolean told(JsonNode events, String type) {
        for (JsonNode event : events) {
            if (type.equals(event.path("type").asString()) && event.hasNonNull("clientReference")) {
                return true;
            }
        }
        return false;
    }

    private void check(String step, boolean ok, String detail) {
        if (!ok) {
            failures++;
        }
        out.println((ok ? "[ok]     " : "[FAILED] ") + step + (detail.isEmpty() ? "" : ": " + detail));
    }

    private static String describe(JsonNode upload) {
        if (upload == null) {
            return "no verdict";
        }
        return upload.get("status").asString() + " " + upload.path("reasons") + " detected="
                + upload.path("detectedType").asString("?") + " key="
                + upload.path("key").asString("?")
                + (upload.has("action") ? " action=" + upload.get("action").asString() : "");
    }

    private Map<String, Double> counters() {
        Map<String, Double> values = new TreeMap<>();
        for (String url : new String[] {settings.signerUrl(), settings.enforcerUrl()}) {
            Matcher m = SAMPLE.matcher(client.scrape(url));
            while (m.find()) {
                values.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
            }
        }
        return values;
    }

    private static boolean moved(Map<String, Double> before, Map<String, Double> after, String metric) {
        return after.entrySet().stream()
                .anyMatch(e -> e.getKey().startsWith(metric) && e.getValue() > before.getOrDefault(e.getKey(), 0.0));
    }

    /** The demo's files, made here so the demo needs nothing on disk. */
    public static final class Samples {
        private Samples() {}

        /** A real 1x1 PNG. */
        public static byte[] png() {
            return java.util.Base64.getDecoder()
                    .decode(
                            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        }

        public static byte[] disguisedHtml() {
            return "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
