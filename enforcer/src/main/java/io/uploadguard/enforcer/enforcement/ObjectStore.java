package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.EnforcerProperties;
import io.uploadguard.enforcer.inspection.ObjectInspector;
import io.uploadguard.ledger.policy.KeyLayout;
import org.springframework.stereotype.Component;

/**
 * The S3 side of acting on an upload, as one dependency: where its keys go (layout and buckets),
 * looking at objects, and moving them.
 */
@Component
public record ObjectStore(
        ObjectInspector inspector, ObjectMover mover, KeyLayout layout, EnforcerProperties properties) {}
