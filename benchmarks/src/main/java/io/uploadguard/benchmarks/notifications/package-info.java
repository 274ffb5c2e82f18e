/**
 * The notification benchmark's backend: {@link WebhookSink} receives the enforcer's signed webhooks
 * while {@code bench/enforcer-load.sh} with phase {@code W} measures how fast a backlog is delivered
 * and what a configured webhook adds per verdict.
 */
package io.uploadguard.benchmarks.notifications;
