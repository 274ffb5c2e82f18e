package io.uploadguard.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the signer's request threads spend their CPU, from a Java Flight Recorder file taken
 * during a load run: each execution sample is put in the first step of the request whose code it
 * is in (or, for framework code, in the framework that is running), and the shares are printed.
 * Samples are of Java threads only; JIT compilation and GC are reported by the load report from
 * the signer's own metrics.
 *
 * <p>Usage: {@code JfrBreakdown <recording.jfr> [from-epoch-ms to-epoch-ms]}: with the times, only
 * the samples taken between them count.
 */
public final class JfrBreakdown {

    private JfrBreakdown() {}

    private record Step(String name, Predicate<List<String>> matches) {}

    private static Predicate<List<String>> calls(String fragment) {
        return frames -> frames.stream().anyMatch(f -> f.contains(fragment));
    }

    private static final List<Step> STEPS = List.of(
            new Step("presign (PutUrlSigner: the SDK's SigV4 signer)", calls("PutUrlSigner.presign")),
            new Step("ledger reserve (Spring JDBC, pgjdbc)", calls("QuotaLedger.")),
            new Step("object key (SecureRandom, SHA-256)", calls("KeyLayout.newIncomingKey")),
            new Step("request JSON parse", calls("UploadRequest.parse")),
            new Step("signing metrics", calls("SigningMetrics.")),
            new Step("other signing logic", calls("UploadSigner.sign")),
            new Step("JWT decode + validate (Nimbus)", calls("NimbusJwtDecoder.decode")),
            new Step("JWT to authentication", calls("JwtAuthenticationProvider.authenticate")),
            new Step("response JSON write", calls("writeWithMessageConverters")),
            new Step("request body read", calls("readWithMessageConverters")),
            new Step("/actuator/prometheus scrapes", calls("PrometheusScrapeEndpoint")));

    /** The rest goes to the framework the running code (the leaf end of the stack) belongs to. */
    private static final Map<String, String> FRAMEWORKS = new LinkedHashMap<>();

    static {
        FRAMEWORKS.put("io.micrometer.", "Micrometer observations and metrics");
        FRAMEWORKS.put("org.springframework.security.", "Spring Security filter chain");
        FRAMEWORKS.put("org.springframework.web.", "Spring MVC");
        FRAMEWORKS.put("org.springframework.http.", "Spring MVC");
        FRAMEWORKS.put("org.apache.", "Tomcat: HTTP parsing, sockets");
        FRAMEWORKS.put("tools.jackson.", "Jackson (other)");
        FRAMEWORKS.put("org.springframework.", "Spring (other)");
    }

    private static String framework(List<String> frames) {
        for (String frame : frames) {
            for (Map.Entry<String, String> f : FRAMEWORKS.entrySet()) {
                if (frame.startsWith(f.getKey())) {
                    return f.getValue();
                }
            }
        }
        return "other";
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: JfrBreakdown <recording.jfr> [from-epoch-ms to-epoch-ms]");
            System.exit(2);
        }
        Instant from = args.length == 3 ? Instant.ofEpochMilli(Long.parseLong(args[1])) : Instant.MIN;
        Instant to = args.length == 3 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.MAX;
        Map<String, Integer> counts = new LinkedHashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getStackTrace() == null
                    || event.getStartTime().isBefore(from)
                    || event.getStartTime().isAfter(to)) {
                continue;
            }
            List<String> frames = new ArrayList<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                if (frame.getMethod() != null) {
                    frames.add(frame.getMethod().getType().getName() + "."
                            + frame.getMethod().getName());
                }
            }
            String step = STEPS.stream()
                    .filter(s -> s.matches().test(frames))
                    .map(Step::name)
                    .findFirst()
                    .orElseGet(() -> framework(frames));
            counts.merge(step, 1, Integer::sum);
            total++;
        }
        if (total == 0) {
            System.out.println("   (no execution samples in " + args[0] + ")");
            return;
        }
        System.out.printf(Locale.ROOT, "   signer request threads, share of CPU samples (JFR, %d samples):%n", total);
        int all = total;
        counts.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e ->
                        System.out.printf(Locale.ROOT, "     %-46s %5.1f%%%n", e.getKey(), 100.0 * e.getValue() / all));
    }
}
