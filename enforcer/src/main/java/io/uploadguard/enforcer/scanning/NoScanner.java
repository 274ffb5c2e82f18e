package io.uploadguard.enforcer.scanning;

/**
 * No scanner configured: nothing is scanned. A profile that still requires a scan gets nothing
 * accepted (each object is SCAN_FAILED), since accepting unscanned objects is what it forbids.
 */
final class NoScanner implements MalwareScanner {

    @Override
    public ScanResult scan(ScanTarget target) {
        return new ScanResult.CouldNotScan("no malware scanner is configured", false);
    }

    @Override
    public String name() {
        return "none";
    }
}
