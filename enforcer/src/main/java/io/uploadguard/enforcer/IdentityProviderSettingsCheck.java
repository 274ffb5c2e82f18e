package io.uploadguard.enforcer;

import io.uploadguard.security.IdentityProviderSettings;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Start-up refuses unsafe token settings: see {@link IdentityProviderSettings}. */
@Configuration(proxyBeanMethods = false)
@Import(IdentityProviderSettings.class)
class IdentityProviderSettingsCheck {}
