#!/usr/bin/env bash
# Multipart uploads through UploadGuard against a plain SDK multipart upload, in one run.
#
# Builds the signer and the benchmark harness, generates the test file once (SIZE bytes from
# /dev/urandom, kept for later runs), starts the sandbox (S3Proxy with objects as files, ElasticMQ,
# PostgreSQL; all on loopback) and the signer jar with a multipart profile, then, ROUNDS times in
# turn:
#   b. a plain SDK multipart upload of the file (CreateMultipartUpload, UploadPart with PARALLEL parts
#      of PART_SIZE in flight, CompleteMultipartUpload), without Expect: 100-continue or checksums
#      (over the sandbox's plain HTTP the SDK still signs its payload in chunks: see docs/benchmarks.md);
#   a. the same file through UploadGuard: POST /uploads (a multipart grant), POST /uploads/{id}/parts
#      for the other pages of part URLs, plain HTTP PUTs of the presigned URLs (java.net.http, as a
#      browser's fetch sends them) with PARALLEL in flight, POST /uploads/{id}/complete;
# and last the signer's CPU per part URL: every part URL of one open upload minted again page by
# page (MINT_ROUNDS times, after MINT_WARMUP untimed rounds), the signer's CPU from /proc/<pid>/stat
# before and after, divided by the URLs minted. It prints MB/s of each (10^6 bytes per second, from
# the first request to the completed object), the best of each, "ratio: X.XXx the plain SDK multipart
# rate" (the bar is 0.9x), the CPU per part URL, the JDK and the machine's load. It is never a test:
# figures only. Everything started here is stopped on exit and the temporary folder is deleted.
#
# Until the signer has the multipart API (issue 16), only part b runs.
#
# Usage: bench/multipart-load.sh     (docs/benchmarks.md, "Multipart", has figures)
# Settings (environment variables):
#   SIZE=2147483648      bytes in the file (2 GiB)
#   PART_SIZE=16777216   bytes per part (16 MiB, the profiles' default part size)
#   PARALLEL=4           parts in flight
#   ROUNDS=2             uploads of each kind, taken in turn (the best of each is compared)
#   MINT_WARMUP=100 MINT_ROUNDS=100  rounds of minting every part URL of one upload again
#   FILE                 the test file (default: $TMPDIR or /tmp, uploadguard-multipart-<SIZE>.bin; made if absent)
#   STORAGE_DIR          where the sandbox keeps objects (default /dev/shm if it has 3 x SIZE free)
#   SANDBOX_XMX=1g       the sandbox JVM's maximum heap
#   SIGNER_JAVA_OPTS     JVM options of the signer (default below)
#   WAIT_IDLE=SECONDS    wait up to that long for the machine to be under 15% busy first (0)
#   SKIP_BUILD=1         use what is already built
#   KEEP_TMP=1           keep the temporary folder (logs, results)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
source bench/lib.sh

SIZE=${SIZE:-2147483648}
PART_SIZE=${PART_SIZE:-16777216}
PARALLEL=${PARALLEL:-4}
ROUNDS=${ROUNDS:-2}
MINT_WARMUP=${MINT_WARMUP:-100}
MINT_ROUNDS=${MINT_ROUNDS:-100}
SANDBOX_XMX=${SANDBOX_XMX:-1g}
SIGNER_JAVA_OPTS=${SIGNER_JAVA_OPTS:-"-Xms256m -Xmx512m"}
FILE=${FILE:-${TMPDIR:-/tmp}/uploadguard-multipart-$SIZE.bin}
SECRET="multipart-load-secret-$(date +%s%N)-padding-to-32-bytes"

START_S=$SECONDS
log() { printf '[multipart-load %3ds] %s\n' "$((SECONDS - START_S))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- build ---------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building the signer and the benchmark harness"
  ./mvnw -B -q -pl signer,benchmarks -am package -DskipTests >&2
fi
BUILT_JAR=$(ls signer/target/uploadguard-signer-*-exec.jar 2>/dev/null | head -1 || true)
[[ -n "$BUILT_JAR" ]] || die "no signer/target/uploadguard-signer-*-exec.jar: build first"
[[ -f benchmarks/target/benchmarks.classpath ]] || die "no benchmarks/target/benchmarks.classpath: build first"
[[ -f infra/sandbox/target/sandbox.classpath ]] || die "no infra/sandbox/target/sandbox.classpath: build first"
WITH_SIGNER=1
# grep reads the whole listing: with pipefail, grep -q quitting early made unzip fail on SIGPIPE
if ! unzip -l "$BUILT_JAR" | grep 'io/uploadguard/signer/multipart/' >/dev/null; then
  log "this signer has no multipart API yet: only the plain SDK upload (b) runs"
  WITH_SIGNER=0
fi

# --- clean-up of everything started here ---------------------------------------------------------
TMP=$(mktemp -d -t multipart-load.XXXXXX)
RESULTS="$TMP/results.properties"
SANDBOX_PID=""
SIGNER_PID=""
STORAGE=""
FAILED=1
cleanup() {
  set +e
  stop_service_and_sandbox "$SIGNER_PID" 30
  rm -rf "$TMP/cp" "$TMP/signer.jar" "$TMP/sandbox"
  keep_tmp_if_failed "logs and results"
  if [[ -n "$STORAGE" ]]; then rm -rf "$STORAGE"; fi   # the objects, always
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# copies, so that a build running meanwhile cannot change the jars and classes under the running processes
BENCH_CP=$(snapshot_cp "$TMP/cp" "$ROOT/benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath)")
SANDBOX_CP=$(snapshot_cp "$TMP/cp" "$ROOT/infra/sandbox/target/classes:$(cat infra/sandbox/target/sandbox.classpath)")
cp "$BUILT_JAR" "$TMP/signer.jar"
helper() { java -XX:TieredStopAtLevel=1 -cp "$BENCH_CP" "$@" 9>&-; }
harness() { timeout 1200 java -Xmx1g -cp "$BENCH_CP" io.uploadguard.benchmarks.multipart.MultipartLoad "$@" 9>&-; }

# --- the file, made once ---------------------------------------------------------------------------
if [[ ! -f "$FILE" || $(stat -c %s "$FILE") != "$SIZE" ]]; then
  log "writing $SIZE bytes from /dev/urandom to $FILE (once; later runs reuse it)"
  head -c "$SIZE" /dev/urandom >"$FILE.tmp" && mv "$FILE.tmp" "$FILE"
fi

wait_idle "${WAIT_IDLE:-0}"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- sandbox -------------------------------------------------------------------------------------
STORAGE_DIR=${STORAGE_DIR:-$(memory_or_tmp_dir $((3 * SIZE)))}
STORAGE=$(mktemp -d "$STORAGE_DIR/multipart-load-s3.XXXXXX")
log "starting the sandbox (objects as files in $STORAGE)"
start_sandbox "-Xmx$SANDBOX_XMX" --storage-dir "$STORAGE"
COMMON=(endpoints="$TMP/sandbox.json" file="$FILE" part-size="$PART_SIZE" parallel="$PARALLEL" results="$RESULTS")

# --- the signer, with a multipart profile whose part size is the run's ----------------------------
SIGNER_ARGS=()
if [[ $WITH_SIGNER == 1 ]]; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mapfile -t SANDBOX_ARGS < <(helper io.uploadguard.benchmarks.SandboxArgs "$TMP/sandbox.json")
  # shellcheck disable=SC2206
  SIGNER_CMD=(java $SIGNER_JAVA_OPTS -jar "$TMP/signer.jar" "${SANDBOX_ARGS[@]}"
    --server.address=127.0.0.1 --server.port="$PORT" --logging.level.root=WARN
    --uploadguard.auth.hmac-secret="$SECRET"
    --uploadguard.profiles.bench.allowed-types=application/octet-stream
    --uploadguard.profiles.bench.max-size=10GB
    --uploadguard.profiles.bench.multipart-threshold=32MB
    --uploadguard.profiles.bench.part-size="${PART_SIZE}B"
    --uploadguard.signer.multipart.part-urls-per-minute=100000000
    --uploadguard.quota.defaults.max-bytes=1000000000000000
    --uploadguard.quota.defaults.max-objects=1000000000
    --uploadguard.quota.defaults.max-signed-urls-per-minute=100000000)
  log "starting the signer on 127.0.0.1:$PORT: java $SIGNER_JAVA_OPTS -jar $(basename "$BUILT_JAR") ..."
  "${SIGNER_CMD[@]}" >"$TMP/signer.log" 2>&1 9>&- &
  SIGNER_PID=$!
  wait_until_up "http://127.0.0.1:$PORT" "$SIGNER_PID" "$TMP/signer.log" signer
  helper io.uploadguard.benchmarks.MintTokens "$SECRET" 1 "$TMP/token.txt" 120 "multipart-bench-"
  SIGNER_ARGS=(signer="http://127.0.0.1:$PORT" token-file="$TMP/token.txt" profile=bench)
fi

# --- the uploads, in turn --------------------------------------------------------------------------
echo
echo "UploadGuard multipart upload against a plain SDK multipart upload: $(date -u +%Y-%m-%dT%H:%MZ)," \
  "$(nproc) CPUs, $(java -version 2>&1 | head -1)"
echo "file: $SIZE bytes in parts of $PART_SIZE bytes, $PARALLEL in flight; load average before: $LOAD_BEFORE;" \
  "machine ${IDLE_BUSY}% busy"
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r: plain SDK multipart upload"
  harness sdk "${COMMON[@]}" label="sdk-$r"
  if [[ $WITH_SIGNER == 1 ]]; then
    log "round $r: through UploadGuard's signer"
    harness signer "${COMMON[@]}" "${SIGNER_ARGS[@]}" label="signer-$r"
  fi
done
if [[ $WITH_SIGNER == 1 ]]; then
  log "the signer's CPU per part URL: $MINT_WARMUP rounds of warm-up, $MINT_ROUNDS measured"
  harness mint "${COMMON[@]}" "${SIGNER_ARGS[@]}" signer-pid="$SIGNER_PID" clk-tck="$(getconf CLK_TCK)" \
    warmup="$MINT_WARMUP" rounds="$MINT_ROUNDS"
fi

# --- summary ---------------------------------------------------------------------------------------
best() { sed -n "s/^multipart\.$1-[0-9]*\.mbps=//p" "$RESULTS" | sort -g | tail -1; }
SDK_BEST=$(best sdk)
echo
echo "best plain SDK multipart: $SDK_BEST MB/s"
if [[ $WITH_SIGNER == 1 ]]; then
  SIGNER_BEST=$(best signer)
  echo "best through UploadGuard: $SIGNER_BEST MB/s"
  awk -v a="$SIGNER_BEST" -v b="$SDK_BEST" 'BEGIN { printf "ratio: %.2fx the plain SDK multipart rate (bar 0.9x)\n", a / b }'
  echo "signer CPU per part URL: $(sed -n 's/^multipart.cpuPerPartUrlMicros=//p' "$RESULTS") us"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if (( IDLE_BUSY > 15 )); then
  echo "note: the machine was ${IDLE_BUSY}% busy before the run started: other work disturbed these figures"
fi
FAILED=0
