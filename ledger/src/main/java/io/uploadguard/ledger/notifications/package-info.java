/**
 * Verdict notifications: the transactional outbox the bookings write to ({@link
 * io.uploadguard.ledger.notifications.Outbox}), and the delivery rows the enforcer's dispatcher
 * works through ({@link io.uploadguard.ledger.notifications.DeliveryQueue}, {@link
 * io.uploadguard.ledger.notifications.DeliveryAdmin}). The channels themselves live in the enforcer.
 */
package io.uploadguard.ledger.notifications;
