package io.uploadguard.enforcer.enforcement;

/**
 * The user metadata a verdict writes on the copy it makes: the record that recovery and the admin
 * API read back when the books have not caught up with the bucket.
 */
public final class VerdictMetadata {

    public static final String VERDICT = "uploadguard-verdict";
    public static final String REASONS = "uploadguard-reasons";
    public static final String DETECTED_TYPE = "uploadguard-detected-type";
    public static final String USER = "user-id";

    private VerdictMetadata() {}
}
