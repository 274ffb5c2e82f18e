# Shared by the bench/ scripts: waiting for a quiet machine and, on request, a larger CPU share.
# Source it; it defines functions only.

machine_ticks() { # "busy all" CPU ticks of the whole machine since boot
  local cpu user nice system idle iowait irq softirq steal rest
  read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
  echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}

busy_percent() { # how busy the machine is over 5 s, in percent
  local b0 a0 b1 a1
  read -r b0 a0 <<<"$(machine_ticks)"; sleep 5; read -r b1 a1 <<<"$(machine_ticks)"
  echo $(( 100 * (b1 - b0) / (a1 - a0 > 0 ? a1 - a0 : 1) ))
}

# wait_idle SECONDS: waits up to SECONDS for the machine to be under 15% busy; sets IDLE_BUSY to
# how busy it was at the start of the run and warns if it still is
wait_idle() {
  local limit=${1:-0} waited=0
  IDLE_BUSY=$(busy_percent)
  while (( IDLE_BUSY > 15 && waited < limit )); do
    echo "[bench] the machine is ${IDLE_BUSY}% busy: waiting for it to calm down (up to ${limit} s)" >&2
    sleep 10; waited=$((waited + 15))
    IDLE_BUSY=$(busy_percent)
  done
  if (( IDLE_BUSY > 15 )); then
    echo "[bench] WARNING: the machine is ${IDLE_BUSY}% busy with other work: figures will be low and noisy" >&2
  fi
}

# snapshot_cp DIR CLASSPATH: copies the classpath entries built in this checkout ($ROOT) into DIR and
# prints the classpath that uses the copies, so that a build running meanwhile (other people's
# ./mvnw verify) cannot change classes and jars under a running benchmark
snapshot_cp() {
  local dir=$1 entry out=() IFS=:
  for entry in $2; do
    if [[ "$entry" == "$ROOT"/* ]]; then
      # once per entry: copying a folder onto its copy would nest it (two classpaths may share one)
      if [[ ! -e "$dir/${entry#"$ROOT"/}" ]]; then
        mkdir -p "$dir/$(dirname "${entry#"$ROOT"/}")"
        cp -r "$entry" "$dir/${entry#"$ROOT"/}"
      fi
      out+=("$dir/${entry#"$ROOT"/}")
    else
      out+=("$entry")
    fi
  done
  echo "${out[*]}"
}

# own_session_priority NICE "$0" "$@": with NICE other than 0, re-runs the calling script in a
# session of its own whose scheduling group gets that nice value. Linux shares the CPU between
# sessions ("autogroups") before it looks at the nice value of processes, so renicing processes
# does nothing against builds running in other sessions; renicing the group does. Negative values
# need root. Returns only in the re-run script (or when NICE is 0); the caller's copy waits for it,
# passes Ctrl-C and SIGTERM on, and exits with its status.
own_session_priority() {
  local nice=$1 script=$2 child
  shift 2
  [[ "$nice" != 0 ]] || return 0
  if [[ -n "${BENCH_OWN_SESSION:-}" ]]; then
    if [[ -w /proc/self/autogroup ]]; then
      echo "$nice" >/proc/self/autogroup || echo "[bench] cannot set the session's nice to $nice" >&2
    else
      renice -n "$nice" -p $$ >/dev/null || echo "[bench] cannot renice to $nice" >&2
    fi
    return 0
  fi
  BENCH_OWN_SESSION=1 setsid "$script" "$@" &
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null' INT TERM
  local status=0
  while :; do
    wait "$child"; status=$?
    kill -0 "$child" 2>/dev/null || break   # a trapped signal ends wait early: wait again
  done
  exit "$status"
}

# start_sandbox "JAVA OPTIONS" [SANDBOX OPTIONS...]: starts the sandbox ($SANDBOX_CP) with its state in
# $TMP/sandbox, its endpoints in $TMP/sandbox.json and its log in $TMP/sandbox.log; it stops when
# file descriptor 9 (its standard input, held open by the calling script) closes. Waits until it is
# ready (dies, through the caller's `die`, if it exits or takes over 120 s) and sets SANDBOX_PID and
# PG_PID (PostgreSQL's postmaster, which detaches from the sandbox; empty if not found).
start_sandbox() {
  local java_opts=$1 i
  shift
  mkfifo "$TMP/sandbox.stdin"
  # shellcheck disable=SC2086
  java $java_opts -cp "$SANDBOX_CP" io.uploadguard.sandbox.SandboxMain \
    --endpoints-file "$TMP/sandbox.json" --work-dir "$TMP/sandbox" --exit-when-stdin-closes "$@" \
    <"$TMP/sandbox.stdin" >"$TMP/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  exec 9>"$TMP/sandbox.stdin"   # held open until the calling script ends
  for ((i = 0; i < 1200; i++)); do
    [[ -f "$TMP/sandbox.json" ]] && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { tail -30 "$TMP/sandbox.log" >&2; die "the sandbox exited"; }
    sleep 0.1
  done
  [[ -f "$TMP/sandbox.json" ]] || die "the sandbox was not ready in 120 s"
  PG_PID=$(pgrep -o -f -- "-D $TMP/sandbox/postgres" || true)
}

# stop_service_and_sandbox PID SECONDS: stops the service under test (see stop_pid), then the sandbox
# (closing file descriptor 9, its standard input, stops it too), for a caller's clean-up trap.
stop_service_and_sandbox() {
  stop_pid "$1" "$2"
  exec 9>&- 2>/dev/null
  stop_pid "$SANDBOX_PID" 30
}

# keep_tmp_if_failed WHAT: keeps $TMP when the run failed ($FAILED is 1) or KEEP_TMP=1, saying that
# WHAT is kept there; removes it otherwise.
keep_tmp_if_failed() {
  if [[ "${KEEP_TMP:-0}" == 1 || $FAILED == 1 ]]; then
    log "$1 kept in $TMP"
  else
    rm -rf "$TMP"
  fi
}

# stop_pid PID SECONDS: SIGTERM (after SIGCONT, in case it was paused), SIGKILL if it is still there after
# SECONDS; reaps it when it is the caller's child. Uses the caller's `log`.
stop_pid() {
  local pid=$1 wait_s=$2 i
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true   # in case a phase ended while it was paused
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "process $pid did not stop in ${wait_s} s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# require_tools TOOL...: installs the missing ones from Debian's packages (wrk, hey) when run as root,
# else stops with the command to run. Uses the caller's `die` and `log`.
require_tools() {
  local missing=() t
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  (( ${#missing[@]} )) || return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} from Debian's packages"
    (apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }) >&2 || die "cannot install ${missing[*]}"
  else
    die "${missing[*]} not installed: apt-get update && apt-get install ${missing[*]} (or run this script as root)"
  fi
}

# --- CPU accounting from /proc ---------------------------------------------------------------------
java_feature() { # the Java feature release of a java command (17, 21, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}
tree_pids() { local p; echo "$1"; for p in $(pgrep -P "$1" 2>/dev/null); do tree_pids "$p"; done; }
tree_ticks() { # user+system ticks of a process and its descendants (and of their reaped children)
  local total=0 p stat
  for p in $(tree_pids "$1"); do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }                         # drop "pid (comm) "
    read -r -a f <<<"$stat"                   # f[11..14] = utime stime cutime cstime
    total=$((total + f[11] + f[12] + f[13] + f[14]))
  done
  echo "$total"
}
sys_ticks() { # system (kernel) ticks of a process and its descendants
  local total=0 p stat
  for p in $(tree_pids "$1"); do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    total=$((total + f[12] + f[14]))
  done
  echo "$total"
}

# memory_or_tmp_dir BYTES: prints where to keep the sandbox's objects: /dev/shm (tmpfs: objects are
# written and copied at memory speed, without a disk flush storm on a shared machine) when it has
# more than BYTES free, else $TMP
memory_or_tmp_dir() {
  local free_kib
  free_kib=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
  if [[ -w /dev/shm && "$free_kib" =~ ^[0-9]+$ ]] && (( free_kib > $1 / 1024 )); then
    echo /dev/shm
  else
    echo "$TMP"
  fi
}

# wait_until_up BASE_URL PID LOG NAME: waits up to 120 s for BASE_URL/actuator/health to say UP;
# dies (the caller's `die`) with the end of LOG if PID exits first, or if it is not UP in time
wait_until_up() {
  local i
  for ((i = 0; i < 1200; i++)); do
    curl -fsS "$1/actuator/health" 2>/dev/null | grep -q '"UP"' && return 0
    kill -0 "$2" 2>/dev/null || { tail -40 "$3" >&2; die "the $4 exited"; }
    sleep 0.1
  done
  die "the $4 was not UP in 120 s"
}
