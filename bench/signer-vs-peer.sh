#!/usr/bin/env bash
# The same-run comparison of issue 14: the reference Express signer (no auth, no quota, no database)
# and UploadGuard's signer (JWT, a ledger reservation in PostgreSQL, more signed headers), one after
# the other on this machine, each under the same load after the same warm-up:
#
#   1. warm-up: WARMUP seconds of `wrk -t2 -c32` in 5-s runs from the first request on, each run's
#      rate printed (the warm-up curve; UploadGuard's also with the JIT compiler's share);
#   2. measured: `wrk -t2 -c32 -dDURATION s`: requests/s, p99, CPU per request of each process
#      (from /proc/<pid>/stat before and after; PostgreSQL's too for UploadGuard);
#   3. UploadGuard only: the same with all 32 connections for one user (per-user hot spot);
#   4. paced: 1,000 requests/s for PACED seconds (10 `hey -c 1 -q 100` processes, one user each):
#      p50/p99/p99.9 from every request's time.
#
# Then it checks that every response was a success (201 for UploadGuard, 200 for the reference) and
# that the ledger holds exactly one reservation per 201 (a SQL count), and prints the JDK, the ratio
# (`ratio: X.XXx the reference rate`) and issue 14's bars. Everything it started is stopped on exit.
#
# Usage: bench/signer-vs-peer.sh     (about 6 minutes; docs/benchmarks.md has the figures)
# Needs: JDK 17+, node and npm (the reference installs its pinned dependencies on first start), and
# Debian's `wrk` and `hey` (installed with apt-get when run as root).
# Settings (environment variables):
#   UPLOADGUARD_PEERS    folder of the reference signers (default: ../shared/peers next to the repo)
#   SIGNER_JAVA          the java that runs the signer (default: Temurin 25 where Debian's package puts
#                        it, else java on the PATH)
#   SIGNER_JAR           the signer's executable jar (default: signer/target/uploadguard-signer-*-exec.jar)
#   SIGNER_JAVA_OPTS     its JVM options (default below)
#   SIGNER_AOT=0         no start-up cache (default: signer/aot-cache.sh's AOT cache on JDK 25+, AppCDS
#                        archive on older JDKs: the build's when it was made by SIGNER_JAVA, else made)
#   SIGNER_EXTRA_ARGS    extra --name=value arguments for the signer, for A/B comparisons
#   SIGNER_TRAIN=30      JDK 25: make the AOT cache from a training run of that many seconds under the
#                        same load (profiles of the request path) instead of the start-only one
#   WARMUP=60 DURATION=20 PACED=15 RATE=1000   seconds, seconds, seconds, requests/s
#   ONLY=uploadguard|peer   run one side only; SKIP_BUILD=1; KEEP_TMP=1; WAIT_IDLE, NICE as in signer-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
source bench/lib.sh
own_session_priority "${NICE:-0}" "$ROOT/bench/signer-vs-peer.sh" "$@"

log() { printf '[signer-vs-peer] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

PEERS=${UPLOADGUARD_PEERS:-$ROOT/../shared/peers}
WARMUP=${WARMUP:-60}
DURATION=${DURATION:-20}
PACED=${PACED:-15}
RATE=${RATE:-1000}
USERS=1000
ONLY=${ONLY:-}
# JDK 25 when installed: it serves more and warms sooner than 17 (docs/benchmarks.md)
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
SIGNER_JAVA=${SIGNER_JAVA:-$([[ -x $JDK25 ]] && echo "$JDK25" || command -v java)}
SIGNER_JAVA_OPTS=${SIGNER_JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC"}
SIGNER_EXTRA_ARGS=${SIGNER_EXTRA_ARGS:-}
SECRET="vs-peer-secret-$(date +%s%N)-padding-to-32-bytes"
CLK_TCK=$(getconf CLK_TCK)
BODY='{"profile":"avatar","contentType":"image/png","size":1234}'

require_tools wrk hey
[[ -n "$ONLY" && "$ONLY" != peer ]] || [[ -x "$PEERS/express-signer/run.sh" ]] \
  || die "no reference signer at $PEERS/express-signer: set UPLOADGUARD_PEERS"

if [[ "${SKIP_BUILD:-0}" != 1 && "$ONLY" != peer ]]; then
  log "building the signer and the benchmark helpers"
  ./mvnw -B -o -q -pl signer,benchmarks -am package -DskipTests >&2
fi

TMP=$(mktemp -d -t signer-vs-peer.XXXXXX)
PEER_PID=""
SIGNER_PID=""
SANDBOX_PID=""
FAILED=1
cleanup() {
  set +e
  stop_pid "$PEER_PID" 10
  stop_pid "$SIGNER_PID" 30
  exec 9>&- 2>/dev/null    # the sandbox's stdin: closing it stops the sandbox
  stop_pid "$SANDBOX_PID" 30
  rm -rf "$TMP/cp" "$TMP/sandbox" "$TMP"/*.jar "$TMP/aot"
  if [[ "${KEEP_TMP:-0}" == 1 || $FAILED == 1 ]]; then log "logs and outputs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_idle "${WAIT_IDLE:-0}"

# --- figures from wrk and hey ------------------------------------------------------------------------
wrk_rps() { awk '/^Requests\/sec/ { printf "%d", $2 }' "$1"; }
wrk_requests() { awk '/requests in/ { print $1 }' "$1"; }
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  printf "%.1f", u == "us" ? n / 1000 : u == "s" ? n * 1000 : u == "m" ? n * 60000 : n }'; }
wrk_p99() { to_ms "$(awk '$1 == "99%" { print $2 }' "$1")"; }
wrk_errors() { # non-2xx responses and socket errors
  awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); n += $1 + $2 + $3 + $4 } END { printf "%d", n }' "$1"
}
cpu_us() { awk -v t="$1" -v n="$2" -v k="$CLK_TCK" 'BEGIN { printf "%d", (n > 0 ? t * 1e6 / k / n : 0) }'; }

# warm_curve NAME URL LUA_SCRIPT [SCRIPT_ARGS...]: WARMUP s in 5-s wrk runs; prints each run's rate and, for the
# signer, the JIT compiler's share; leaves the rates in CURVE
warm_curve() {
  local name=$1 url=$2 lua=$3 t=0 rps j0 j1 jit
  shift 3
  CURVE=()
  while (( t < WARMUP )); do
    j0=$(jit_ms "$name")
    wrk -t2 -c32 -d5s --latency --timeout 5s -s "$lua" "$url" "$@" >"$TMP/$name-warm-$t.txt" 9>&-
    j1=$(jit_ms "$name")
    rps=$(wrk_rps "$TMP/$name-warm-$t.txt"); rps=${rps:-0}
    t=$((t + 5))
    CURVE+=("$rps")
    jit=""
    [[ -z "$j0" ]] || jit=", JIT compiling $(( (j1 - j0) / 50 ))% of the time"
    echo "  warm-up ${t}s: $rps requests/s$jit"
  done
}
jit_ms() { # the signer's JIT compilation time so far (empty for the reference)
  [[ "$1" == uploadguard ]] || return 0
  curl -fsS "$BASE/actuator/prometheus" | awk '/^jvm_compilation_time_ms_total/ { s += $NF } END { printf "%d", s }'
}
# time_to_90 STEADY: seconds from the first request until a 5-s run reached 90% of STEADY
time_to_90() {
  local i
  for i in "${!CURVE[@]}"; do
    if (( CURVE[i] * 10 >= $1 * 9 )); then echo $(( (i + 1) * 5 )); return; fi
  done
  echo "never in ${WARMUP}"
}

# paced NAME: RATE requests/s from 10 hey processes (one user each) for PACED s; prints p50/p99/p99.9
# from every request's time and sets PACED_P99 and PACED_BAD (responses other than the expected status)
paced() {
  local name=$1 expect=$2 i pids=()
  shift 2
  for ((i = 0; i < 10; i++)); do
    "$@" "$i" >"$TMP/$name-paced-$i.csv" 2>&1 9>&- &
    pids+=($!)
  done
  wait "${pids[@]}"
  cat "$TMP/$name-paced-"*.csv | awk -F, 'NF >= 7 && $1 ~ /^[0-9.]+$/ { print $1 * 1000, $7 }' \
    | sort -n >"$TMP/$name-paced.txt"
  PACED_BAD=$(awk -v ok="$expect" '$2 != ok { n++ } END { printf "%d", n }' "$TMP/$name-paced.txt")
  read -r n p50 p99 p999 < <(awk '{ t[NR] = $1 } END {
    printf "%d %.2f %.2f %.2f\n", NR, t[int(NR * .5) + 1], t[int(NR * .99) + 1], t[int(NR * .999) + 1] }' "$TMP/$name-paced.txt")
  PACED_P99=$p99
  echo "  paced $RATE requests/s for ${PACED}s: $n requests ($(( n / PACED ))/s), p50 $p50 ms, p99 $p99 ms, p99.9 $p999 ms, not $expect: $PACED_BAD"
}

# --- 1. the reference Express signer ----------------------------------------------------------------
echo "signer vs peer: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "machine ${IDLE_BUSY}% busy before the run, nice ${NICE:-0}; wrk -t2 -c32, warm-up ${WARMUP}s, ${DURATION}s measured"
if [[ "$ONLY" != uploadguard ]]; then
  PEER_PORT=$(free_port)
  log "starting the reference signer on 127.0.0.1:$PEER_PORT"
  PORT=$PEER_PORT "$PEERS/express-signer/run.sh" >"$TMP/peer.log" 2>&1 9>&- &
  PEER_PID=$!
  PEER_URL="http://127.0.0.1:$PEER_PORT"
  for ((i = 0; i < 1800; i++)); do
    curl -fsS -H 'X-User-Id: u' "$PEER_URL/sign_put?contentType=image/png" >/dev/null 2>&1 && break
    kill -0 "$PEER_PID" 2>/dev/null || { tail -20 "$TMP/peer.log" >&2; die "the reference signer exited"; }
    sleep 0.1
  done
  echo
  echo "reference: $PEERS/express-signer, node $(node --version)"
  warm_curve peer "$PEER_URL" "$PEERS/express-signer/sign_put.lua"
  c0=$(tree_ticks "$PEER_PID")
  wrk -t2 -c32 -d"${DURATION}"s --latency --timeout 5s -s "$PEERS/express-signer/sign_put.lua" "$PEER_URL" \
    >"$TMP/peer-wrk.txt" 9>&-
  c1=$(tree_ticks "$PEER_PID")
  PEER_RPS=$(wrk_rps "$TMP/peer-wrk.txt")
  PEER_ERRORS=$(wrk_errors "$TMP/peer-wrk.txt")
  echo "  measured: $PEER_RPS requests/s, p99 $(wrk_p99 "$TMP/peer-wrk.txt") ms," \
    "CPU per request: node $(cpu_us $((c1 - c0)) "$(wrk_requests "$TMP/peer-wrk.txt")") us; errors: $PEER_ERRORS"
  paced peer 200 bash -c 'exec hey -z "$1" -c 1 -q "$2" -o csv -H "X-User-Id: paced-user-$4" "$3"' _ \
    "${PACED}s" $((RATE / 10)) "$PEER_URL/sign_put?contentType=image/png"
  PEER_BAD=$((PEER_ERRORS + PACED_BAD))
  stop_pid "$PEER_PID" 10
  PEER_PID=""
fi
[[ "$ONLY" != peer ]] || { FAILED=$(( PEER_BAD > 0 )); exit "$FAILED"; }

# --- 2. UploadGuard's signer ---------------------------------------------------------------------------
BUILT_JAR=${SIGNER_JAR:-$(ls signer/target/uploadguard-signer-*-exec.jar 2>/dev/null | head -1)}
[[ -n "$BUILT_JAR" ]] || die "no signer/target/uploadguard-signer-*-exec.jar: build first"
if [[ "${SIGNER_AOT:-1}" == 1 ]]; then
  # the start-up cache made by and for this JVM (signer/aot-cache.sh): the build's when it fits (made
  # by this JVM, not older than the jar), else made now; copied with its times (the cache checks them)
  if [[ -z "${SIGNER_JAR:-}" && -f signer/target/aot/made-by && ! "$BUILT_JAR" -nt signer/target/aot/made-by \
        && "$(cat signer/target/aot/made-by)" == "$("$SIGNER_JAVA" -version 2>&1 | head -1)" ]]; then
    cp -rp signer/target/aot "$TMP/aot"
  else
    log "making the signer's start-up cache for $SIGNER_JAVA (signer/aot-cache.sh)"
    signer/aot-cache.sh "$SIGNER_JAVA" "$BUILT_JAR" "$TMP/aot" >/dev/null
  fi
  CACHE=$(ls "$TMP"/aot/signer.aot "$TMP"/aot/signer.jsa 2>/dev/null | head -1 || true)
  [[ $CACHE == *.aot ]] && SIGNER_JAVA_OPTS+=" -XX:AOTCache=$CACHE" || SIGNER_JAVA_OPTS+=" -XX:SharedArchiveFile=$CACHE"
  SIGNER_JAR="$TMP/aot/$(basename "$BUILT_JAR")"
else
  SIGNER_JAR="$TMP/$(basename "$BUILT_JAR")"
  cp "$BUILT_JAR" "$SIGNER_JAR"
fi
BENCH_CP=$(snapshot_cp "$TMP/cp" "$ROOT/benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath)")
SANDBOX_CP=$(snapshot_cp "$TMP/cp" "$ROOT/infra/sandbox/target/classes:$(cat infra/sandbox/target/sandbox.classpath)")
helper() { java -XX:TieredStopAtLevel=1 -cp "$BENCH_CP" "$@" 9>&-; }
log "starting the sandbox"
start_sandbox "-Xmx512m -XX:TieredStopAtLevel=1"
[[ -n "$PG_PID" ]] || die "PostgreSQL's process not found"
mapfile -t SANDBOX_ARGS < <(helper io.uploadguard.benchmarks.SandboxArgs "$TMP/sandbox.json")
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
helper io.uploadguard.benchmarks.MintTokens "$SECRET" "$USERS" "$TMP/tokens.txt" 60
head -1 "$TMP/tokens.txt" >"$TMP/one-user.txt"
helper io.uploadguard.benchmarks.MintTokens "$SECRET" 10 "$TMP/paced-tokens.txt" 60 paced-user-
start_signer() { # JVM_OPTIONS: starts the signer, waits until it is UP, sets SIGNER_PID and ready_ms
  local started i
  # shellcheck disable=SC2206
  local cmd=("$SIGNER_JAVA" $1 -jar "$SIGNER_JAR" "${SANDBOX_ARGS[@]}"
    --server.address=127.0.0.1 --server.port="$PORT" --uploadguard.auth.hmac-secret="$SECRET"
    --uploadguard.quota.defaults.max-signed-urls-per-minute=100000000
    --uploadguard.quota.defaults.max-objects=1000000000 --uploadguard.quota.defaults.max-bytes=1000000000000000
    --logging.level.root=WARN $SIGNER_EXTRA_ARGS)
  log "starting the signer on $BASE: $SIGNER_JAVA $1 -jar $BUILT_JAR ... $SIGNER_EXTRA_ARGS"
  started=$(date +%s%3N)
  "${cmd[@]}" >>"$TMP/signer.log" 2>&1 9>&- &
  SIGNER_PID=$!
  for ((i = 0; i < 1200; i++)); do
    curl -fsS "$BASE/actuator/health" 2>/dev/null | grep -q '"UP"' && break
    kill -0 "$SIGNER_PID" 2>/dev/null || { tail -40 "$TMP/signer.log" >&2; die "the signer exited"; }
    sleep 0.1
  done
  ready_ms=$(( $(date +%s%3N) - started ))
  # the JVM itself, should the shell have kept a process between (its CPU is what is measured, and
  # what the clean-up stops)
  SIGNER_PID=$(pgrep -n -f -- "-jar $SIGNER_JAR .*--server.port=$PORT" || echo "$SIGNER_PID")
}
TRAINED=0
if (( ${SIGNER_TRAIN:-0} > 0 )) && [[ $SIGNER_JAVA_OPTS == *-XX:AOTCache=* ]]; then
  # an AOT cache from a training run under load (method profiles of the request path, JEP 515)
  # instead of the start-only one: the signer runs SIGNER_TRAIN s of the same load, then stops, and
  # the JVM writes the cache as it exits
  rm -f "$CACHE"
  start_signer "${SIGNER_JAVA_OPTS/-XX:AOTCache=/-XX:AOTCacheOutput=}"
  wrk -t2 -c32 -d"${SIGNER_TRAIN}"s --timeout 5s -s bench/signer-load.lua "$BASE" -- "$TMP/tokens.txt" >"$TMP/training.txt" 9>&-
  stop_pid "$SIGNER_PID" 300
  [[ -s "$CACHE" ]] || die "the training run wrote no AOT cache (see $TMP/signer.log)"
  TRAINED=$(helper io.uploadguard.benchmarks.LedgerRows "$TMP/sandbox.json" | sed 's/uploads=\([0-9]*\).*/\1/')
  log "AOT cache from ${SIGNER_TRAIN} s under load: $(du -h "$CACHE" | cut -f1); $TRAINED reservations booked by the training"
fi
start_signer "$SIGNER_JAVA_OPTS"
echo
echo "UploadGuard: $("$SIGNER_JAVA" -version 2>&1 | sed -n 2p), $SIGNER_JAVA_OPTS $SIGNER_EXTRA_ARGS;" \
  "$USERS users; ready (health UP) $((ready_ms / 1000)).$(( ready_ms % 1000 / 100 )) s after exec"
warm_curve uploadguard "$BASE" bench/signer-load.lua -- "$TMP/tokens.txt"
measure() { # NAME TOKENS: one measured wrk run; sets RPS, P99, PG_US
  local j0 j1 s0 s1 p0 p1 n
  j0=$(jit_ms uploadguard); s0=$(tree_ticks "$SIGNER_PID"); p0=$(tree_ticks "$PG_PID")
  wrk -t2 -c32 -d"${DURATION}"s --latency --timeout 5s -s bench/signer-load.lua "$BASE" -- "$2" >"$TMP/$1-wrk.txt" 9>&-
  j1=$(jit_ms uploadguard); s1=$(tree_ticks "$SIGNER_PID"); p1=$(tree_ticks "$PG_PID")
  n=$(wrk_requests "$TMP/$1-wrk.txt")
  RPS=$(wrk_rps "$TMP/$1-wrk.txt"); P99=$(wrk_p99 "$TMP/$1-wrk.txt"); PG_US=$(cpu_us $((p1 - p0)) "$n")
  echo "  measured, $1: $RPS requests/s, p99 $P99 ms, CPU per request: signer $(cpu_us $((s1 - s0)) "$n") us," \
    "PostgreSQL $PG_US us; JIT compiling $(( (j1 - j0) / 10 / DURATION ))% of the time; errors: $(wrk_errors "$TMP/$1-wrk.txt")"
}
measure "$USERS-users" "$TMP/tokens.txt"
UG_RPS=$RPS UG_P99=$P99 UG_PG_US=$PG_US
measure "one-user" "$TMP/one-user.txt"
ONE_RPS=$RPS
paced uploadguard 201 bash -c 'exec hey -z "$1" -c 1 -q "$2" -o csv -m POST -T application/json \
  -H "Authorization: Bearer $(sed -n "$(($6 + 1))p" "$3")" -d "$4" "$5/uploads"' _ \
  "${PACED}s" $((RATE / 10)) "$TMP/paced-tokens.txt" "$BODY" "$BASE"
UG_PACED_P99=$PACED_P99

# --- the books: every response a 201, one reservation per 201 ------------------------------------------
read -r ok other < <(curl -fsS "$BASE/actuator/prometheus" | awk '
  /^http_server_requests_seconds_count\{/ && /method="POST"/ && /uri="\/uploads"/ {
    if ($0 ~ /status="201"/) ok += $NF; else other += $NF }
  END { printf "%d %d\n", ok, other }')
rows=$(helper io.uploadguard.benchmarks.LedgerRows "$TMP/sandbox.json")
echo "  books: POST /uploads answered 201 $ok times, anything else $other times; ledger: $rows" \
  "(of which $TRAINED from the training run)"
STATUS=0
[[ "$other" == 0 && "$rows" == "uploads=$((ok + TRAINED)) "* ]] || { echo "FAILED: not one reservation per 201"; STATUS=1; }

# --- summary -----------------------------------------------------------------------------------------------
steady_at=$(time_to_90 "$UG_RPS")
echo
echo "JDK: $("$SIGNER_JAVA" -version 2>&1 | head -1); warm: 90% of the steady rate ($UG_RPS/s) after ${steady_at} s"
bar() { printf '  %-58s %s\n' "$1" "$(awk "BEGIN { print ($2) ? \"met\" : \"NOT MET\" }")"; }
if [[ -z "$ONLY" ]]; then
  echo "ratio: $(awk -v a="$UG_RPS" -v b="$PEER_RPS" 'BEGIN { printf "%.2f", a / b }')x the reference rate"
  (( PEER_BAD == 0 )) || { echo "FAILED: the reference answered $PEER_BAD errors"; STATUS=1; }
  echo "bars (issue 14):"
  bar ">= 3.0x the reference's rate: $UG_RPS vs $PEER_RPS/s" "$UG_RPS >= 3 * $PEER_RPS"
else
  echo "bars (issue 14):"
fi
bar "paced $RATE/s p99 < 10 ms: $UG_PACED_P99 ms" "$UG_PACED_P99 < 10"
bar "PostgreSQL CPU per reservation <= 150 us: $UG_PG_US us" "$UG_PG_US <= 150"
bar "32 connections, one user >= 0.5x 1,000 users: $ONE_RPS vs $UG_RPS/s" "$ONE_RPS * 2 >= $UG_RPS"
bar "90% of the steady rate within 30 s: ${steady_at} s" "\"$steady_at\" + 0 > 0 && \"$steady_at\" + 0 <= 30"
[[ $STATUS == 0 ]] && FAILED=0
exit $STATUS
