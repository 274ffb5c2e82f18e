#!/usr/bin/env bash
# Malware-scan throughput, in one command: ClamdScanner (the enforcer's scanner: S3 GET streamed to
# clamd over INSTREAM) against `clamdscan --stream` of the same files from local disk, and a plain
# S3 GET of the same objects, for 10 KiB, 1 MiB and 100 MiB objects, against one clamd (Debian's
# clamav-daemon, started with a generated test signature database; nothing is downloaded) and the
# sandbox's S3. Prints a Markdown table: MB/s, objects/s and milliseconds per object (sequential, so
# the last column is the latency the scan adds to one verdict).
#
# Usage: bench/scan-load.sh
# Settings: SMALL=300 MEDIUM=50 LARGE=3 (objects per size), NICE=0, WAIT_IDLE=0 (see bench/lib.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source bench/lib.sh
own_session_priority "${NICE:-0}" "$ROOT/bench/scan-load.sh" "$@"

command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ] \
  || { echo "clamd is not installed: apt-get install clamav-daemon clamdscan (as .ci/run does)" >&2; exit 1; }
wait_idle "${WAIT_IDLE:-0}"
echo "UploadGuard scan throughput: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, machine ${IDLE_BUSY}% busy before the run, $(clamd --version)"
./mvnw -B -o -pl enforcer -am test -Dtest=ScanThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Duploadguard.bench.scan=true -Dscan.bench.small="${SMALL:-300}" -Dscan.bench.medium="${MEDIUM:-50}" \
  -Dscan.bench.large="${LARGE:-3}" -DtrimStackTrace=false 2>&1 \
  | sed -n '/^| size/,/^$/p; /Tests run:.*Fail/p; /BUILD FAILURE/p'
