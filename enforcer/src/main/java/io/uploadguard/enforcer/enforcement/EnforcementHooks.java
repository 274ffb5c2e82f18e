package io.uploadguard.enforcer.enforcement;

/**
 * Points inside one enforcement where tests inject faults (a crash between acting on a verdict and
 * booking it, an object written again between its inspection and its copy). Production uses the
 * no-op defaults.
 */
public interface EnforcementHooks {

    default void afterInspect(String bucket, String key) {}

    default void afterAct(String bucket, String key) {}
}
