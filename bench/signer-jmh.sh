#!/usr/bin/env bash
# JMH benchmarks of the signer's in-process steps (presign, JWT, request parsing, response
# writing, the ledger's reserve transaction on the sandbox's PostgreSQL, and UploadSigner.sign with
# and without the ledger), then a per-step breakdown measured in the same run. About 2.5 minutes.
#
# Usage: bench/signer-jmh.sh [JMH options]     e.g. bench/signer-jmh.sh SigningSteps -f 2
# Settings (environment variables): SKIP_BUILD=1 uses what is already built; WAIT_IDLE and NICE
# as in bench/signer-load.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
source bench/lib.sh
own_session_priority "${NICE:-0}" "$ROOT/bench/signer-jmh.sh" "$@"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -pl signer,benchmarks -am package -DskipTests >&2
fi
[[ -f benchmarks/target/benchmarks.classpath ]] \
  || { echo "build first: ./mvnw -pl signer,benchmarks -am package -DskipTests" >&2; exit 1; }
TMP=$(mktemp -d -t signer-jmh.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
CP=$(snapshot_cp "$TMP/cp" "$ROOT/benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath)")
wait_idle "${WAIT_IDLE:-0}"
echo "UploadGuard signer JMH: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, machine ${IDLE_BUSY}% busy before the run, nice ${NICE:-0}"
java -Duploadguard.sandbox.home="$ROOT/infra/sandbox" -cp "$CP" io.uploadguard.benchmarks.signer.SignerBenchmarks "$@"
