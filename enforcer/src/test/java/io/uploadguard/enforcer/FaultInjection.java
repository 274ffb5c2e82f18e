package io.uploadguard.enforcer;

import io.uploadguard.enforcer.enforcement.EnforcementHooks;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Bean;

/**
 * Imported by the integration tests (deliberately not a scanned configuration): enforcement hooks
 * that crash between acting on a verdict and booking it, once, for the keys a test names.
 */
public class FaultInjection {

    public static final Set<String> CRASH_AFTER_ACT = ConcurrentHashMap.newKeySet();

    @Bean
    EnforcementHooks crashingHooks() {
        return new EnforcementHooks() {
            @Override
            public void afterAct(String bucket, String key) {
                if (CRASH_AFTER_ACT.remove(key)) {
                    throw new IllegalStateException("simulated crash between act and book for " + key);
                }
            }
        };
    }
}
