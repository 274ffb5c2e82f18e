/**
 * The enforcer's end-to-end load harness, driven by {@code bench/enforcer-load.sh}: a plain loop of
 * the enforcer's S3 calls for a baseline, signed uploads through the sandbox with their verdicts
 * read back from the ledger, and heap sampling while 1 GiB objects are inspected. Nothing here runs
 * in the build. See {@code docs/benchmarks-enforcer.md}.
 */
package io.uploadguard.benchmarks.enforcer;
