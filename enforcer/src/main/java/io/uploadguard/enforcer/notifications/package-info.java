/**
 * Verdict notifications: the dispatcher that delivers the ledger's outbox to backends, at least
 * once and in order per upload, by signed webhooks (Standard Webhooks), EventBridge and SNS; its
 * metrics and its admin API ({@code /admin/notifications}).
 *
 * <p>Why in the enforcer and not a service of its own: the enforcer already is the process that
 * books verdicts, runs scheduled work against the ledger (expired reservations, reconciliation),
 * holds AWS credentials, scales out safely ({@code FOR UPDATE SKIP LOCKED}) and serves the admin
 * API with its admin role; a separate service would repeat all of that for one polling loop. The
 * dispatcher shares nothing in memory with enforcement (only the ledger's tables), so it can move
 * out later without a change to the outbox.
 */
package io.uploadguard.enforcer.notifications;
