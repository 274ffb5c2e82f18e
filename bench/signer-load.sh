#!/usr/bin/env bash
# End-to-end load on the signer: POST /uploads with a JWT check and a ledger transaction per request.
#
# Builds the signer and the benchmark helpers, starts the sandbox (real PostgreSQL on loopback) and
# the signer jar against it, mints tokens for many users, then drives POST /uploads with wrk: one
# warm-up run, then one measured run per connection count. For each run it prints requests/s,
# latency percentiles, the non-2xx count (must be 0) and where a request's time went (from the
# signer's own metrics scraped before and after the run, and the CPU each process used). At the end
# it checks that the ledger holds exactly one reservation per 201. Everything it started is stopped
# on exit, however the script ends.
#
# Usage: bench/signer-load.sh    (about 3 minutes, more while the JIT warms up on a busy machine;
#                                 docs/benchmarks.md has the figures)
# Settings (environment variables):
#   CONNECTIONS="16 32 64"  connection counts of the measured runs
#   DURATION=20             seconds per measured run
#   WARMUP=20               seconds of warm-up; then 10 s more at a time while the JIT compiler is
#                           busy more than 10% of the time, up to WARMUP_MAX=120 seconds in all
#   WRK_THREADS=1           wrk threads (wrk shares the 2 cores with everything else)
#   USERS=1000              distinct users (tokens) the requests rotate over
#   SIGNER_JAVA_OPTS        JVM options of the signer (default below)
#   SIGNER_EXTRA_ARGS       extra --name=value arguments for the signer, e.g. to compare settings
#   SKIP_BUILD=1            use what is already built
#   PROFILE=0               no Java Flight Recorder profile of the signer during the measured runs
#                           (by default one is taken, and the signer's CPU is split by step)
#   KEEP_TMP=1              keep the temporary folder (logs, wrk output, scrapes, JFR files)
#   WAIT_IDLE=600           first wait up to this many seconds for the machine to be idle (default 0)
#   NICE=-5                 run everything in a session of its own with this scheduling priority
#                           (negative needs root): on a machine shared with other builds, the benchmark
#                           then gets more of the CPU and is less disturbed (default 0: no change)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
source bench/lib.sh
own_session_priority "${NICE:-0}" "$ROOT/bench/signer-load.sh" "$@"

CONNECTIONS=${CONNECTIONS:-"16 32 64"}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-20}
WRK_THREADS=${WRK_THREADS:-1}
USERS=${USERS:-1000}
SIGNER_JAVA_OPTS=${SIGNER_JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC"}
SIGNER_EXTRA_ARGS=${SIGNER_EXTRA_ARGS:-}
TARGET_RPS=3000
TARGET_P99_MS=25
SECRET="load-test-secret-$(date +%s%N)-padding-to-32-bytes"

log() { printf '[signer-load] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_tools wrk

# --- build ---------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building the signer and the benchmark helpers"
  ./mvnw -B -q -pl signer,benchmarks -am package -DskipTests >&2
fi
BUILT_JAR=$(ls signer/target/uploadguard-signer-*-exec.jar 2>/dev/null | head -1)
[[ -n "$BUILT_JAR" ]] || die "no signer/target/uploadguard-signer-*-exec.jar: build first"
[[ -f benchmarks/target/benchmarks.classpath ]] || die "no benchmarks/target/benchmarks.classpath: build first"
[[ -f infra/sandbox/target/sandbox.classpath ]] || die "no infra/sandbox/target/sandbox.classpath: build first"
NICE=${NICE:-0}

# --- clean-up of everything started here ---------------------------------------------------------
TMP=$(mktemp -d -t signer-load.XXXXXX)
# copies, so that a build running meanwhile cannot change the jars and classes under the running processes
SIGNER_JAR="$TMP/$(basename "$BUILT_JAR")"
cp "$BUILT_JAR" "$SIGNER_JAR"
BENCH_CP=$(snapshot_cp "$TMP/cp" "$ROOT/benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath)")
SANDBOX_CP=$(snapshot_cp "$TMP/cp" "$ROOT/infra/sandbox/target/classes:$(cat infra/sandbox/target/sandbox.classpath)")
helper() { java -XX:TieredStopAtLevel=1 -cp "$BENCH_CP" "$@" 9>&-; }
SANDBOX_PID=""
SIGNER_PID=""
FAILED=1

cleanup() {
  set +e
  stop_service_and_sandbox "$SIGNER_PID" 30
  rm -rf "$SIGNER_JAR" "$TMP/cp" "$TMP/sandbox"   # the sandbox log stays, its data (200 MB) goes
  keep_tmp_if_failed "logs and outputs"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CLK_TCK=$(getconf CLK_TCK)
CPUS=$(nproc)
wait_idle "${WAIT_IDLE:-0}"

# --- sandbox ---------------------------------------------------------------------------------------
log "starting the sandbox"
start_sandbox "-Xmx512m -XX:TieredStopAtLevel=1"
[[ -n "$PG_PID" ]] || log "WARNING: PostgreSQL's process not found: its CPU will count as 'everything else'"
pg_ticks() { if [[ -n "$PG_PID" ]]; then tree_ticks "$PG_PID"; else echo 0; fi; }

# --- signer ----------------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mapfile -t SANDBOX_ARGS < <(helper io.uploadguard.benchmarks.SandboxArgs "$TMP/sandbox.json")
PROFILE_OPTS=""
if [[ "${PROFILE:-1}" == 1 ]]; then
  # CPU samples only, from the start: see bench/cpu-samples.jfc
  PROFILE_OPTS="-XX:StartFlightRecording=name=bench,settings=$ROOT/bench/cpu-samples.jfc,maxage=30m"
fi
# shellcheck disable=SC2206
SIGNER_CMD=(java $SIGNER_JAVA_OPTS $PROFILE_OPTS -jar "$SIGNER_JAR"
  "${SANDBOX_ARGS[@]}"
  --server.address=127.0.0.1 --server.port="$PORT"
  --uploadguard.auth.hmac-secret="$SECRET"
  --uploadguard.quota.defaults.max-signed-urls-per-minute=100000000
  --uploadguard.quota.defaults.max-objects=1000000000
  --uploadguard.quota.defaults.max-bytes=1000000000000000
  --logging.level.root=WARN
  $SIGNER_EXTRA_ARGS)
log "starting the signer on 127.0.0.1:$PORT: java $SIGNER_JAVA_OPTS -jar $BUILT_JAR ... $SIGNER_EXTRA_ARGS"
"${SIGNER_CMD[@]}" >"$TMP/signer.log" 2>&1 9>&- &
SIGNER_PID=$!
BASE="http://127.0.0.1:$PORT"
for ((i = 0; i < 1200; i++)); do
  curl -fsS "$BASE/actuator/health" 2>/dev/null | grep -q '"UP"' && break
  kill -0 "$SIGNER_PID" 2>/dev/null || { tail -40 "$TMP/signer.log" >&2; die "the signer exited"; }
  sleep 0.1
done
curl -fsS "$BASE/actuator/health" 2>/dev/null | grep -q '"UP"' || die "the signer was not UP in 120 s"

log "minting tokens for $USERS users"
helper io.uploadguard.benchmarks.MintTokens "$SECRET" "$USERS" "$TMP/tokens.txt" 60

# one request by hand first: a clear message beats a run full of 4xx
first_token=$(head -1 "$TMP/tokens.txt")
code=$(curl -s -o "$TMP/first.json" -w '%{http_code}' -X POST "$BASE/uploads" \
  -H "Authorization: Bearer $first_token" -H 'Content-Type: application/json' \
  -d '{"profile":"avatar","contentType":"image/png","size":1234}')
[[ "$code" == 201 ]] || { cat "$TMP/first.json" >&2; die "POST /uploads answered $code, not 201"; }

run_wrk() { # connections seconds output
  wrk -t"$WRK_THREADS" -c"$1" -d"$2"s --latency --timeout 5s -s bench/signer-load.lua "$BASE" -- \
    "$TMP/tokens.txt" >"$3" 9>&-
}

jit_ms() { curl -fsS "$BASE/actuator/prometheus" | awk '/^jvm_compilation_time_ms_total/ { s += $NF } END { printf "%d", s }'; }
# warm-up: at least WARMUP s, then 10 s more at a time while the JIT compiler is still busy (it
# competes for the same 2 cores), up to WARMUP_MAX s in all
warmed=0
round=0
while :; do
  secs=$(( round == 0 ? WARMUP : 10 ))
  j0=$(jit_ms)
  run_wrk 32 "$secs" "$TMP/wrk-warmup-$round.txt"
  j1=$(jit_ms)
  warmed=$((warmed + secs))
  rps=$(awk '/^Requests\/sec/ { printf "%d", $2 }' "$TMP/wrk-warmup-$round.txt")
  log "warm-up: ${secs} s at 32 connections, ${rps} requests/s, JIT compiling $(( (j1 - j0) / 10 / secs ))% of the time (not counted)"
  round=$((round + 1))
  (( (j1 - j0) * 10 > secs * 1000 && warmed < ${WARMUP_MAX:-120} )) || break
done

echo
echo "UploadGuard signer, POST /uploads end to end: $(date -u +%Y-%m-%dT%H:%MZ), $CPUS CPUs, $(java -version 2>&1 | head -1)"
echo "signer: java $SIGNER_JAVA_OPTS $SIGNER_EXTRA_ARGS; wrk -t$WRK_THREADS, $USERS users, ${DURATION} s per run, nice $NICE"
STATUS=0
for c in $CONNECTIONS; do
  curl -fsS "$BASE/actuator/prometheus" >"$TMP/prom-$c-before.txt"
  k0=$(sys_ticks "$SIGNER_PID"); s0=$(tree_ticks "$SIGNER_PID"); p0=$(pg_ticks); read -r mb0 ma0 <<<"$(machine_ticks)"
  run_start=$(date +%s%3N)
  TIMEFORMAT='%3U %3S'
  { time run_wrk "$c" "$DURATION" "$TMP/wrk-$c.txt"; } 2>"$TMP/wrk-$c.time"
  read -r wu ws <"$TMP/wrk-$c.time"
  wrk_ticks=$(awk -v u="$wu" -v s="$ws" -v t="$CLK_TCK" 'BEGIN { printf "%d", (u + s) * t }')
  k1=$(sys_ticks "$SIGNER_PID"); s1=$(tree_ticks "$SIGNER_PID"); p1=$(pg_ticks); read -r mb1 ma1 <<<"$(machine_ticks)"
  curl -fsS "$BASE/actuator/prometheus" >"$TMP/prom-$c-after.txt"
  run_end=$(date +%s%3N)
  if [[ "${PROFILE:-1}" == 1 ]]; then
    jcmd "$SIGNER_PID" JFR.dump name=bench filename="$TMP/run-$c.jfr" >/dev/null 2>&1 || log "cannot dump the JFR recording"
  fi
  sed -n '/Latency Distribution/,/Transfer/p' "$TMP/wrk-$c.txt" | sed 's/^/   wrk| /'
  helper io.uploadguard.benchmarks.LoadReport wrk="$TMP/wrk-$c.txt" \
    before="$TMP/prom-$c-before.txt" after="$TMP/prom-$c-after.txt" connections="$c" \
    cpuSigner=$((s1 - s0)) cpuSignerSys=$((k1 - k0)) cpuPostgres=$((p1 - p0)) cpuWrk="$wrk_ticks" cpuBusy=$((mb1 - mb0)) cpuAll=$((ma1 - ma0)) \
    clkTck="$CLK_TCK" cpus="$CPUS" targetRps=$TARGET_RPS targetP99Ms=$TARGET_P99_MS \
    summary="$TMP/summary.txt" || STATUS=1
  if [[ -s "$TMP/run-$c.jfr" ]]; then
    helper io.uploadguard.benchmarks.JfrBreakdown "$TMP/run-$c.jfr" "$run_start" "$run_end" || true
  fi
done

# --- the books: one reservation per 201 ----------------------------------------------------------
signed=$(curl -fsS "$BASE/actuator/prometheus" \
  | awk '/^uploadguard_signing_requests_total\{/ && /outcome="signed"/ { s += $NF } END { printf "%d", s }')
rows=$(helper io.uploadguard.benchmarks.LedgerRows "$TMP/sandbox.json")
echo
echo "ledger: $rows; the signer answered 201 $signed times (warm-up and first request included)"
if [[ "$rows" != "uploads=$signed "* ]]; then
  echo "FAILED: the ledger does not hold exactly one reservation per signed URL"
  STATUS=1
fi

echo
echo "summary (target: at least $TARGET_RPS requests/s with p99 under $TARGET_P99_MS ms, load generator on the same machine):"
cat "$TMP/summary.txt"
if (( IDLE_BUSY > 15 )); then
  echo "note: the machine was ${IDLE_BUSY}% busy before the run started: another workload disturbed these figures"
fi
[[ $STATUS == 0 ]] && FAILED=0
exit $STATUS
