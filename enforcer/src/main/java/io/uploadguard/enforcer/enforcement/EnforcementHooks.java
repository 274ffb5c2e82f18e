package io.uploadguard.enforcer.enforcement;

/**
 * Points inside one enforcement where tests inject faults (a crash between acting on a verdict and
 * booking it). Production uses the no-op default.
 */
public interface EnforcementHooks {

    default void afterAct(String bucket, String key) {}
}
