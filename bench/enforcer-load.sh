#!/usr/bin/env bash
# End-to-end benchmark of the enforcer against the sandbox, in one command (about 3 minutes).
#
# Builds the enforcer and the benchmark harness, starts the sandbox (S3Proxy with objects on disk,
# ElasticMQ, PostgreSQL, S3 events; all on loopback) and then, in this order:
#   A. raw S3: a plain loop of the enforcer's S3 calls per object (HEAD, ranged GET of 8 KiB,
#      CopyObject with REPLACE metadata, DeleteObject) over N small PNGs, from 1 thread and from
#      RAW_THREADS threads; the better rate is the baseline; run again after the enforcer's phases,
#      on the sandbox they warmed, and the better of the two runs kept (RAW_ORDER);
#   B. the enforcer jar (default concurrency: 10 messages at once) with N uploads signed as the
#      signer signs them (ledger reservation + presigned PUT), 1 in HTML_EVERY an HTML page declared
#      as image/png; verdicts/s, upload-to-verdict latency p50/p99, and the books checked;
#   D. the same enforcer while BIG_COUNT objects of BIG_SIZE bytes (1 GiB) are uploaded and
#      enforced: its heap in use sampled every 200 ms, idle before, during and idle after;
#   C. the enforcer restarted with one message at a time (max-concurrent-messages=1,
#      max-messages-per-poll=1) and phase B again;
#   W. (only when asked: PHASES="B W") notifications: a webhook receiver (WebhookSink, the local
#      run's receiver: signatures verified) and the enforcer restarted with a webhook to it; the
#      outbox of every verdict so far (phases B and D booked them; an enforcer with no channel sends
#      nothing) is delivered as a backlog: notifications/s; then phase B again with the webhook, so
#      its CPU per verdict against phase B's is the A/B of what a webhook adds;
# then prints a table with every figure and the ratios against the targets (enforcement >= 0.8x
# the raw S3 rate and the raw rate at the same concurrency, the enforcer's CPU <= 6 ms per object,
# >= 3x one message at a time on loopback and >= 5x with S3_LATENCY_MS, heap flat with 1 GiB
# objects). Everything started
# here is stopped on exit, however the script ends, and the temporary folder is deleted.
#
# Usage: bench/enforcer-load.sh          (docs/benchmarks-enforcer.md has figures and how to read them)
# Settings (environment variables):
#   N=300               uploads per measurement (and objects per raw loop)
#   PHASES="A B D C"    the phases to run (a subset gives a partial table; W after B: notifications)
#   WARMUP=100          untimed uploads before each enforcer's measurements (JIT, pools)
#   RAW_THREADS=8       threads of the concurrent raw S3 loop
#   RAW_WARMUP          untimed objects of the raw S3 loop before its measurements (default: as many as the
#                       enforcer handles before its backlog is measured, ENFORCER_TRAIN + WARMUP + N, at
#                       least 500): the harness is a JVM too, and a loop measured colder than the enforcer
#                       flatters every ratio against it (after 500 objects its JVM spent twice the CPU per
#                       object it spends after 9,000)
#   PUT_THREADS=4       threads that PUT the uploads in phases B and C
#   HTML_EVERY=10       every HTML_EVERY-th upload is HTML declared as image/png (0: none)
#   BIG_COUNT=3 BIG_SIZE=1073741824   objects of phase D and their size in bytes
#   ENFORCER_XMX=256m   the enforcer's fixed maximum heap
#   ENFORCER_JAVA=java  the java command that runs the enforcer, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#   BASELINE_JAVA       the java command for the baseline jar (phase B0; default ENFORCER_JAVA): with
#                       BASELINE_JAR set to the same jar, the A/B of two JDKs
#   ENFORCER_JAVA_OPTS  more JVM options for the enforcer, e.g. -XX:StartFlightRecording=filename=/tmp/e.jfr
#   ENFORCER_EXTRA_ARGS extra --name=value arguments for the concurrent enforcer (phases B and D),
#                       e.g. --uploadguard.enforcer.max-concurrent-messages=20
#   SANDBOX_XMX=1g      the sandbox JVM's maximum heap
#   STORAGE_DIR         where the sandbox keeps objects (default /dev/shm if it has 4 x BIG_SIZE free, else a
#                       temporary folder on disk)
#   SANDBOX_JAVA_OPTS   more JVM options for the sandbox
#   S3_LATENCY_MS=0     added by the sandbox to every S3 object operation, as a network would (the
#                       concurrency ratio on loopback is CPU-bound; with latency it shows what waiting costs)
#   INCOMING_REMOVED_EVENTS=1  0: the bucket sends no ObjectRemoved events for incoming/ (only ObjectCreated
#                       there, and ObjectRemoved for served/), so the enforcer's own deletes cost no message
#   WAIT_IDLE=SECONDS   wait up to that long for the machine to be under 15% busy first (0)
#   SKIP_BUILD=1        use what is already built
#   ENFORCER_JAR=PATH   the enforcer jar to measure (default: the one this checkout built)
#   BASELINE_JAR=PATH   another enforcer jar (e.g. a copy of the jar before a change), measured as phase B0
#                       right before phase B in the same run, with the same settings: the A/B of a change
#   BASELINE_AFTER=1    phase B0 right after phase B (and D) instead: the sandbox is a JVM still warming up,
#                       so the phase that runs second gets a cheaper sandbox; a rate ratio of B to B0 is
#                       fair as the geometric mean of a run in each order (CPU per object of the enforcer
#                       and PostgreSQL is not affected)
#   RAW_SAME_THREADS    threads of a raw S3 loop at the enforcer's concurrency (default: that concurrency,
#                       10), the baseline of "enforcement / raw S3 at the same concurrency"
#   ENFORCER_TRAIN=0    JDK 25+: before the measured phases, phase T runs that many uploads (e.g. 2000)
#                       through the enforcer started with -XX:AOTCacheOutput, from the executable jar
#                       extracted (a cache needs a plain class path); phases B, D, C and W then run it
#                       with that AOT cache (JEP 483/514/515: classes loaded and linked, and the method
#                       profiles of the message path); a baseline jar (B0) runs without. The training
#                       also warms the sandbox, so compare B with a B0 of the same run, not across runs
#   RAW_ORDER=both      when phase A runs: first, last (after every enforcer phase) or both; the sandbox is
#                       a JVM that warms up through a run, so a raw loop run only first meets it colder than
#                       the enforcer does and flatters every ratio against it; with both, each raw figure is
#                       the better of the two runs
#   KEEP_TMP=1          keep the temporary folder (logs, results, the AOT cache)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
source bench/lib.sh

N=${N:-300}
PHASES=${PHASES:-"A B D C"}
WARMUP=${WARMUP:-100}
RAW_THREADS=${RAW_THREADS:-8}
PUT_THREADS=${PUT_THREADS:-4}
HTML_EVERY=${HTML_EVERY:-10}
BIG_COUNT=${BIG_COUNT:-3}
BIG_SIZE=${BIG_SIZE:-1073741824}
ENFORCER_XMX=${ENFORCER_XMX:-256m}
ENFORCER_EXTRA_ARGS=${ENFORCER_EXTRA_ARGS:-}
ENFORCER_JAVA_OPTS=${ENFORCER_JAVA_OPTS:-}
ENFORCER_JAVA=${ENFORCER_JAVA:-java}
BASELINE_JAVA=${BASELINE_JAVA:-$ENFORCER_JAVA}
RUN_JAVA=$ENFORCER_JAVA
SANDBOX_XMX=${SANDBOX_XMX:-1g}
SANDBOX_JAVA_OPTS=${SANDBOX_JAVA_OPTS:-}
S3_LATENCY_MS=${S3_LATENCY_MS:-0}
INCOMING_REMOVED_EVENTS=${INCOMING_REMOVED_EVENTS:-1}
ENFORCER_TRAIN=${ENFORCER_TRAIN:-0}
RAW_WARMUP=${RAW_WARMUP:-$((ENFORCER_TRAIN + WARMUP + N > 500 ? ENFORCER_TRAIN + WARMUP + N : 500))}
AOT_OPTS=""   # the measured jar's cache options, once phase T has made one

START_S=$SECONDS
phase() { [[ " $PHASES " == *" $1 "* ]]; }
log() { printf '[enforcer-load %3ds] %s\n' "$((SECONDS - START_S))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- build ---------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building the sandbox, the enforcer and the benchmark harness"
  ./mvnw -B -q -pl enforcer,benchmarks -am package -DskipTests >&2
fi
ENFORCER_JAR=${ENFORCER_JAR:-$(ls enforcer/target/uploadguard-enforcer-*.jar 2>/dev/null \
  | grep -v -- '-plain\|\.original' | head -1 || true)}
[[ -n "$ENFORCER_JAR" ]] || die "no enforcer/target/uploadguard-enforcer-*.jar: build first"
[[ -f benchmarks/target/benchmarks.classpath ]] || die "no benchmarks/target/benchmarks.classpath: build first"
[[ -f infra/sandbox/target/sandbox.classpath ]] || die "no infra/sandbox/target/sandbox.classpath: build first"

# --- clean-up of everything started here ---------------------------------------------------------
TMP=$(mktemp -d -t enforcer-load.XXXXXX)
RESULTS="$TMP/results.properties"
SANDBOX_PID=""
ENFORCER_PID=""
SINK_PID=""
STORAGE=""
FAILED=1

cleanup() {
  set +e
  stop_pid "$SINK_PID" 10
  stop_service_and_sandbox "$ENFORCER_PID" 40
  rm -rf "$TMP/cp" "$TMP/enforcer.jar" "$TMP/baseline.jar"   # jars; logs and results stay
  [[ "${KEEP_TMP:-0}" == 1 ]] || rm -rf "$TMP/aot"
  keep_tmp_if_failed "logs and results"
  if [[ -n "$STORAGE" ]]; then rm -rf "$STORAGE"; fi   # the objects, always
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# What this checkout built is copied first, so that a build running meanwhile (tests on the same
# machine) cannot swap a jar under a running process.
BENCH_CP=$(snapshot_cp "$TMP/cp" "$ROOT/benchmarks/target/classes:$(cat benchmarks/target/benchmarks.classpath)")
SANDBOX_CP=$(snapshot_cp "$TMP/cp" "$ROOT/infra/sandbox/target/classes:$(cat infra/sandbox/target/sandbox.classpath)")
cp "$ENFORCER_JAR" "$TMP/enforcer.jar"
ENFORCER_JAR_NAME=$(basename "$ENFORCER_JAR")
ENFORCER_JAR="$TMP/enforcer.jar"
MEASURED_JAR=$ENFORCER_JAR
if [[ -n "${BASELINE_JAR:-}" ]]; then
  BASELINE_SOURCE=$BASELINE_JAR
  cp "$BASELINE_JAR" "$TMP/baseline.jar"
  BASELINE_JAR="$TMP/baseline.jar"
fi

# bounded: every phase has its own deadlines; this is the net under them
harness() { timeout 600 java -Xmx512m -cp "$BENCH_CP" io.uploadguard.benchmarks.enforcer.EnforcerLoad "$@" 9>&-; }

# --- how busy the machine was before we started ------------------------------------------------------
wait_idle "${WAIT_IDLE:-0}"
{
  echo "run.date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "run.machine=$(nproc) CPUs, $(java -version 2>&1 | head -1 | tr -d '"'),"\
    "machine ${IDLE_BUSY}% busy before the run"
  echo "enforcer.xmx=$ENFORCER_XMX"
  echo "enforcer.java=$("$ENFORCER_JAVA" -version 2>&1 | head -1 | tr -d '"')"
  [[ -n "${BASELINE_JAR:-}" ]] && echo "baseline.java=$("$BASELINE_JAVA" -version 2>&1 | head -1 | tr -d '"')"
  echo "run.putThreads=$PUT_THREADS"
  echo "run.htmlEvery=$HTML_EVERY"
} >>"$RESULTS"

# --- sandbox -------------------------------------------------------------------------------------
# S3Proxy keeps the objects as files. On tmpfs (/dev/shm) when it has room: the 1 GiB objects of
# phase D are then written and copied at memory speed, without a disk flush storm on a machine
# others share (the enforcer's CopyObject waits for the whole server-side copy, see the docs).
# At most about 2 x BIG_SIZE is there at once; it is deleted on exit whatever happens.
if [[ -z "${STORAGE_DIR:-}" ]]; then
  shm_free_kib=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
  if [[ -w /dev/shm && "$shm_free_kib" =~ ^[0-9]+$ ]] && (( shm_free_kib > 4 * BIG_SIZE / 1024 )); then
    STORAGE_DIR=/dev/shm
  else
    STORAGE_DIR=$TMP
  fi
fi
STORAGE=$(mktemp -d "$STORAGE_DIR/enforcer-load-s3.XXXXXX")
NOTIFICATION_ARGS=(--s3-latency "$S3_LATENCY_MS")
if [[ "$INCOMING_REMOVED_EVENTS" == 0 ]]; then
  # the sandbox's default rules without "s3:ObjectRemoved:*" on incoming/
  arn="arn:aws:sqs:us-east-1:000000000000:uploadguard-events"
  cat >"$TMP/notifications.json" <<JSON
{"QueueConfigurations": [
  {"Id": "incoming-created", "QueueArn": "$arn", "Events": ["s3:ObjectCreated:*"],
   "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}}},
  {"Id": "served-removed", "QueueArn": "$arn", "Events": ["s3:ObjectRemoved:*"],
   "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "served/"}]}}}]}
JSON
  NOTIFICATION_ARGS+=(--notifications "$TMP/notifications.json")
fi
echo "run.incomingRemovedEvents=$INCOMING_REMOVED_EVENTS" >>"$RESULTS"
echo "run.s3LatencyMs=$S3_LATENCY_MS" >>"$RESULTS"
log "starting the sandbox (objects as files in $STORAGE)"
start_sandbox "-Xmx$SANDBOX_XMX $SANDBOX_JAVA_OPTS" --storage-dir "$STORAGE" "${NOTIFICATION_ARGS[@]}"
[[ -n "$PG_PID" ]] || log "WARNING: PostgreSQL's process not found: its CPU will count as 'other'"
mapfile -t SANDBOX_ARGS < <(harness spring-args endpoints="$TMP/sandbox.json")

# --- phase A: raw S3 -----------------------------------------------------------------------------
STATUS=0
CONCURRENCY=$(sed -n 's/.*--uploadguard.enforcer.max-concurrent-messages=\([0-9]*\).*/\1/p' <<<"$ENFORCER_EXTRA_ARGS")
CONCURRENCY=${CONCURRENCY:-10}
raw_phase() { # results file
  log "phase A: raw S3 loop over $N objects, 1 thread, $RAW_THREADS threads and ${RAW_SAME_THREADS:-$CONCURRENCY} threads"
  harness raw endpoints="$TMP/sandbox.json" results="$1" n="$N" warmup="$RAW_WARMUP" threads="$RAW_THREADS" \
    same-threads="${RAW_SAME_THREADS:-$CONCURRENCY}" pids="sandbox:$SANDBOX_PID,postgres:$PG_PID" || STATUS=1
}
RAW_ORDER=${RAW_ORDER:-both}
[[ "$RAW_ORDER" =~ ^(first|last|both)$ ]] || die "RAW_ORDER is first, last or both, not '$RAW_ORDER'"
if phase A; then
  echo "run.rawOrder=$RAW_ORDER" >>"$RESULTS"
  echo "run.rawWarmup=$RAW_WARMUP" >>"$RESULTS"
  [[ "$RAW_ORDER" == last ]] || raw_phase "$RESULTS"
fi

# --- the enforcer --------------------------------------------------------------------------------
ACTUATOR=""
start_enforcer() { # label, extra --name=value arguments...
  local label=$1 port i
  shift
  local opts=$ENFORCER_JAVA_OPTS
  [[ $ENFORCER_JAR == "$MEASURED_JAR" ]] && opts+=" $AOT_OPTS"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log "starting the enforcer ($label) on 127.0.0.1:$port:" \
    "$RUN_JAVA ($("$RUN_JAVA" -version 2>&1 | head -1 | tr -d '"')) -Xmx$ENFORCER_XMX $opts -jar $([[ $ENFORCER_JAR == "${BASELINE_JAR:-}" ]] && echo "baseline $(basename "$BASELINE_SOURCE")" || echo "$ENFORCER_JAR_NAME") ... $*"
  # shellcheck disable=SC2086
  "$RUN_JAVA" -Xmx"$ENFORCER_XMX" $opts -jar "$ENFORCER_JAR" "${SANDBOX_ARGS[@]}" \
    --server.address=127.0.0.1 --server.port="$port" --logging.level.root=WARN \
    --uploadguard.profiles.avatar.allowed-types=image/png,image/jpeg,image/webp \
    --uploadguard.profiles.avatar.max-size=5MB \
    --uploadguard.profiles.big.allowed-types=application/octet-stream,image/png \
    --uploadguard.profiles.big.max-size=2GB \
    --uploadguard.quota.defaults.max-bytes=1000000000000000 \
    --uploadguard.quota.defaults.max-objects=1000000000 \
    --uploadguard.quota.defaults.max-signed-urls-per-minute=100000000 \
    --uploadguard.quota.defaults.violations-before-block=1000000000 \
    "$@" >"$TMP/enforcer-$label.log" 2>&1 9>&- &
  ENFORCER_PID=$!
  ACTUATOR="http://127.0.0.1:$port/actuator"
  for ((i = 0; i < 1200; i++)); do
    if curl -fsS "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then
      log "the enforcer is UP"
      return 0
    fi
    kill -0 "$ENFORCER_PID" 2>/dev/null || { tail -40 "$TMP/enforcer-$label.log" >&2; die "the enforcer exited"; }
    sleep 0.1
  done
  die "the enforcer was not UP in 120 s"
}
enforce_phase() { # label [uploads, default N]: uploads through the running enforcer, measured
  harness enforce endpoints="$TMP/sandbox.json" results="$RESULTS" label="$1" n="${2:-$N}" warmup="$WARMUP" \
    put-threads="$PUT_THREADS" html-every="$HTML_EVERY" actuator="$ACTUATOR" enforcer-pid="$ENFORCER_PID" \
    paced=20 removal-events="$INCOMING_REMOVED_EVENTS" \
    pids="sandbox:$SANDBOX_PID,postgres:$PG_PID,enforcer:$ENFORCER_PID" || STATUS=1
}
stop_enforcer_now() { # [seconds it gets to exit, default 40]
  log "stopping the enforcer"; stop_pid "$ENFORCER_PID" "${1:-40}"; ENFORCER_PID=""
}

baseline_phase() { # phase B0: the same as B with the baseline jar
  ENFORCER_JAR=$BASELINE_JAR
  RUN_JAVA=$BASELINE_JAVA
  # shellcheck disable=SC2086
  start_enforcer baseline $ENFORCER_EXTRA_ARGS
  log "phase B0: $N uploads through the baseline jar, $CONCURRENCY messages at once"
  enforce_phase B0
  stop_enforcer_now
  ENFORCER_JAR=$MEASURED_JAR
  RUN_JAVA=$ENFORCER_JAVA
}
if (( ENFORCER_TRAIN > 0 )) && { phase B || phase C || phase D || phase W; }; then
  (( $(java_feature "$ENFORCER_JAVA") >= 25 )) || die "ENFORCER_TRAIN needs JDK 25 or newer for ENFORCER_JAVA (an AOT cache with method profiles)"
  "$ENFORCER_JAVA" -Djarmode=tools -jar "$MEASURED_JAR" extract --destination "$TMP/aot" >/dev/null
  MEASURED_JAR="$TMP/aot/$(basename "$MEASURED_JAR")"
  ENFORCER_JAR=$MEASURED_JAR
  AOT_OPTS="-XX:AOTCacheOutput=$TMP/aot/enforcer.aot"
  # shellcheck disable=SC2086
  start_enforcer training $ENFORCER_EXTRA_ARGS
  log "phase T: $ENFORCER_TRAIN uploads through the enforcer to train its AOT cache"
  enforce_phase T "$ENFORCER_TRAIN"
  # the cache is written on the way out, by a second JVM: about 20 s here
  log "the training enforcer writes the AOT cache as it exits"
  stop_enforcer_now 180
  [[ -s "$TMP/aot/enforcer.aot" ]] || die "the training run wrote no AOT cache (see $TMP/enforcer-training.log)"
  log "AOT cache: $(du -m "$TMP/aot/enforcer.aot" | cut -f1) MB"
  AOT_OPTS="-XX:AOTCache=$TMP/aot/enforcer.aot"
  echo "run.aotTraining=$ENFORCER_TRAIN" >>"$RESULTS"
fi

BASELINE_AFTER=${BASELINE_AFTER:-0}
if [[ -n "${BASELINE_JAR:-}" ]]; then
  echo "run.baselineAfter=$BASELINE_AFTER" >>"$RESULTS"
fi

if [[ -n "${BASELINE_JAR:-}" && "$BASELINE_AFTER" != 1 ]] && phase B; then
  baseline_phase
fi

if phase B || phase D; then
  # shellcheck disable=SC2086
  start_enforcer concurrent $ENFORCER_EXTRA_ARGS
  echo "enforcer.concurrency=$CONCURRENCY" >>"$RESULTS"
  if phase B; then
    log "phase B: $N uploads through the enforcer, $CONCURRENCY messages at once"
    enforce_phase B
  fi
  if phase D; then
    log "phase D: $BIG_COUNT objects of $BIG_SIZE bytes, the enforcer's heap sampled"
    harness big endpoints="$TMP/sandbox.json" results="$RESULTS" count="$BIG_COUNT" size="$BIG_SIZE" \
      actuator="$ACTUATOR" enforcer-pid="$ENFORCER_PID" idle-seconds=8 || STATUS=1
  fi
  stop_enforcer_now
fi

if [[ -n "${BASELINE_JAR:-}" && "$BASELINE_AFTER" == 1 ]] && phase B; then
  baseline_phase
fi

if phase W; then
  log "phase W: a webhook receiver; the outbox so far delivered as a backlog, then phase B with the webhook"
  java -Xmx256m -cp "$BENCH_CP" io.uploadguard.benchmarks.notifications.WebhookSink out="$TMP/sink" \
    results="$RESULTS" >"$TMP/sink.log" 2>&1 9>&- &
  SINK_PID=$!
  for ((i = 0; i < 300; i++)); do grep -q '^secret=' "$TMP/sink" 2>/dev/null && break; sleep 0.1; done
  grep -q '^secret=' "$TMP/sink" 2>/dev/null || die "the webhook receiver did not start: $(cat "$TMP/sink.log")"
  # by environment: the secret stays off the command line, and a list element comes from one source
  export UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_NAME=bench
  UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_URL=$(sed -n 's/^url=//p' "$TMP/sink")
  UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_SECRETS_0=$(sed -n 's/^secret=//p' "$TMP/sink")
  export UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_URL UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_SECRETS_0
  # shellcheck disable=SC2086
  start_enforcer webhook --uploadguard.notifications.allow-http=true $ENFORCER_EXTRA_ARGS
  unset UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_NAME UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_URL \
    UPLOADGUARD_NOTIFICATIONS_WEBHOOKS_0_SECRETS_0
  for ((i = 0; i < 3000; i++)); do grep -q backlog-reported "$TMP/sink.tally" 2>/dev/null && break; sleep 0.1; done
  grep -q backlog-reported "$TMP/sink.tally" 2>/dev/null || { log "no backlog delivered in 300 s"; STATUS=1; }
  cat "$TMP/sink.log" >&2
  log "phase W: $N uploads through the enforcer with a webhook"
  enforce_phase W
  stop_enforcer_now
  log "notifications received in all: $(cut -d' ' -f1 "$TMP/sink.tally")"
  stop_pid "$SINK_PID" 10
  SINK_PID=""
  {
    echo "notifications: backlog $(sed -n 's/^notifications.backlog.//p' "$RESULTS" | tr '\n' ' ')"
    echo "cpu per verdict without a webhook (B): $(sed -n 's/^enforce.B.cpu=//p' "$RESULTS")"
    echo "cpu per verdict with a webhook (W):    $(sed -n 's/^enforce.W.cpu=//p' "$RESULTS")"
  } | tee -a "$TMP/notifications.txt"
fi

if phase C; then
  start_enforcer one-at-a-time --uploadguard.enforcer.max-concurrent-messages=1 \
    --uploadguard.enforcer.max-messages-per-poll=1
  log "phase C: $N uploads through the enforcer, one message at a time"
  enforce_phase C
  stop_enforcer_now
fi

if phase A && [[ "$RAW_ORDER" == last ]]; then
  raw_phase "$RESULTS"
elif phase A && [[ "$RAW_ORDER" == both ]]; then
  raw_phase "$TMP/raw-after.properties"
  sed -n 's/^raw\./rawafter./p' "$TMP/raw-after.properties" >>"$RESULTS"
fi

log "done"
harness summary results="$RESULTS" || STATUS=1
if (( IDLE_BUSY > 15 )); then
  echo "note: the machine was ${IDLE_BUSY}% busy before the run started: another workload disturbed these figures"
fi
[[ $STATUS == 0 ]] && FAILED=0
exit $STATUS
