package io.uploadguard.enforcer.scanning;

import io.uploadguard.ledger.policy.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scan adds to a verdict: nothing, or a rejection reason with what to record on the
 * quarantined copy.
 *
 * @param rejection MALWARE or SCAN_FAILED; null when the scan lets the verdict stand
 * @param signatures the scanner's names for what it found (MALWARE only)
 * @param metadata user metadata for the quarantined copy ({@code x-amz-meta-*} without the prefix)
 */
public record ScanOutcome(Reason rejection, List<String> signatures, Map<String, String> metadata) {

    static final String META_SIGNATURES = "uploadguard-signatures";
    static final String META_SCAN = "uploadguard-scan";
    private static final ScanOutcome PROCEED = new ScanOutcome(null, List.of(), Map.of());

    public ScanOutcome {
        signatures = List.copyOf(signatures);
        metadata = Map.copyOf(metadata);
    }

    static ScanOutcome proceed() {
        return PROCEED;
    }

    public Optional<Reason> rejectionReason() {
        return Optional.ofNullable(rejection);
    }
}
