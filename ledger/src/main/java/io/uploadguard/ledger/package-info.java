/** The quota ledger: schema, profiles and quotas, key layout. */
package io.uploadguard.ledger;
