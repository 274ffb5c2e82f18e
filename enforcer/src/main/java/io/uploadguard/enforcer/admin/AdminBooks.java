package io.uploadguard.enforcer.admin;

import io.uploadguard.ledger.admin.AdminLedger;
import io.uploadguard.ledger.booking.QuotaLedger;
import io.uploadguard.ledger.policy.QuotaPolicy;
import org.springframework.stereotype.Component;

/** The books an admin action reads and writes, as one dependency: uploads and accounts, the admin side, quotas. */
@Component
record AdminBooks(QuotaLedger ledger, AdminLedger admin, QuotaPolicy quotas) {}
