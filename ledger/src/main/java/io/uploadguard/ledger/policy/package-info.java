/**
 * The rules an upload is held to, without the database: upload profiles, quotas, the key layout,
 * rejection reasons.
 */
package io.uploadguard.ledger.policy;
