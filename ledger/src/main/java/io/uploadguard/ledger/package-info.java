/**
 * The quota ledger: what every feature shares (configuration, the upload and account rows, the
 * database access). The features are in {@code policy}, {@code booking}, {@code admin} and
 * {@code reconciliation}.
 */
package io.uploadguard.ledger;
