package io.uploadguard.enforcer;

import io.uploadguard.enforcer.enforcement.EnforcementHooks;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Bean;

/**
 * Imported by the integration tests (deliberately not a scanned configuration): enforcement hooks
 * that crash between acting on a verdict and booking it, or act right after an inspection, once,
 * for the keys a test names.
 */
public class FaultInjection {

    public static final Set<String> CRASH_AFTER_ACT = ConcurrentHashMap.newKeySet();

    /** Run once, by key, right after the enforcer inspected that key (e.g. to write the key again). */
    public static final Map<String, Runnable> AFTER_INSPECT = new ConcurrentHashMap<>();

    @Bean
    EnforcementHooks crashingHooks() {
        return new EnforcementHooks() {
            @Override
            public void afterInspect(String bucket, String key) {
                Runnable action = AFTER_INSPECT.remove(key);
                if (action != null) {
                    action.run();
                }
            }

            @Override
            public void afterAct(String bucket, String key) {
                if (CRASH_AFTER_ACT.remove(key)) {
                    throw new IllegalStateException("simulated crash between act and book for " + key);
                }
            }
        };
    }
}
