package io.uploadguard.enforcer.enforcement;

import io.uploadguard.ledger.QuotaLedger;
import io.uploadguard.ledger.QuotaPolicy;
import io.uploadguard.ledger.UploadProfiles;
import org.springframework.stereotype.Component;

/** The books side of a verdict, as one dependency: the ledger, and the profiles and quotas it is decided by. */
@Component
record EnforcementBooks(QuotaLedger ledger, UploadProfiles profiles, QuotaPolicy quotas) {}
