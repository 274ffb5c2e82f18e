#!/usr/bin/env bash
# Cold starts of the Lambda artifacts, measured under the runtime harness (infra/lambda-harness):
# each function's zip unpacked into an empty folder, a fresh JVM with AWS's runtime interface
# client and only that folder on its class path, one recorded event against the sandbox. For each
# JDK and each set of JVM options it prints the time from JVM start to the end of initialisation
# (the first poll for an event) and to the first response.
#
# Functions: the signer's uploadsApi (POST /uploads from API Gateway), the enforcer's
# enforceS3Events (an SQS batch with one S3 event) and releaseExpiredReservations (the scheduled
# event). Variants: plain; -XX:TieredStopAtLevel=1 (C1 only); -XX:+UseSerialGC; both (what
# Lambda's Java runtimes set); and, on JDK 25, an AOT cache (JEP 483/514/515) written by a training
# run of the same function (-XX:AOTCacheOutput) and then used (-XX:AOTCache) with C1 and SerialGC.
# HotSpot refuses to write an AOT cache while a non-empty folder is on the class path, and the zip
# layout puts the classes in /var/task: the AOT variant runs a repacked copy with the classes as
# lib/0-app.jar and only lib/* on the class path, the layout a container image could use. In that layout
# Spring Cloud Function cannot read META-INF/mask.keys (it reads the file only from a folder), so
# such a deployment must turn the adapter's event logging down instead.
#
# Usage: bench/lambda-cold-start.sh
# Settings (environment variables):
#   JDKS="<java.home> ..."  JDKs to run the functions on (default: this machine's java, and
#                           /usr/lib/jvm/temurin-25-jdk-amd64 if present)
#   VARIANTS="plain c1 serial lambda aot"   the option sets to measure
#   FUNCTIONS="signer enforcer release"     the functions to measure
#   XMX=512m                each function's maximum heap (a 1024 MB Lambda gives Java about that)
#   SKIP_BUILD=1            use what is already built
#   KEEP_TMP=1              keep the temporary folder (function logs, AOT caches)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
source bench/lib.sh

DEFAULT_JDKS=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
[[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]] && DEFAULT_JDKS="$DEFAULT_JDKS /usr/lib/jvm/temurin-25-jdk-amd64"
JDKS=${JDKS:-$DEFAULT_JDKS}
VARIANTS=${VARIANTS:-"plain c1 serial lambda aot"}
FUNCTIONS=${FUNCTIONS:-"signer enforcer release"}
XMX=${XMX:-512m}

log() { echo "[lambda-cold-start] $*" >&2; }
die() { log "$*"; exit 1; }

TMP=$(mktemp -d)
cleanup() {
  exec 9>&- 2>/dev/null || true   # the sandbox stops when its standard input closes
  stop_pid "${SANDBOX_PID:-}" 30
  if [[ -n "${KEEP_TMP:-}" ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

if [[ -z "${SKIP_BUILD:-}" ]]; then
  log "building the Lambda zips, the sandbox and the harness"
  ./mvnw -B -o -q -pl signer,enforcer,infra/sandbox,infra/lambda-harness -am package -DskipTests >&2
fi
VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
SIGNER_ZIP=signer/target/uploadguard-signer-$VERSION-lambda.zip
ENFORCER_ZIP=enforcer/target/uploadguard-enforcer-$VERSION-lambda.zip
[[ -f "$SIGNER_ZIP" && -f "$ENFORCER_ZIP" ]] || die "no Lambda zips: build without SKIP_BUILD"

# copies, so that a build running meanwhile cannot change them under the benchmark
SANDBOX_CP=$(snapshot_cp "$TMP/cp" "$ROOT/infra/sandbox/target/classes:$(cat infra/sandbox/target/sandbox.classpath)")
HARNESS_CP=$(snapshot_cp "$TMP/cp" "$ROOT/infra/lambda-harness/target/classes:$ROOT/infra/sandbox-client/target/classes"):$SANDBOX_CP
mkdir -p "$TMP/task-signer" "$TMP/task-enforcer"
unzip -q "$SIGNER_ZIP" -d "$TMP/task-signer"
unzip -q "$ENFORCER_ZIP" -d "$TMP/task-enforcer"
for app in signer enforcer; do   # the jar-only layout of the AOT variant
  mkdir -p "$TMP/jars-$app"
  cp -r "$TMP/task-$app/lib" "$TMP/jars-$app/lib"
  (cd "$TMP/task-$app" && zip -q -r "$TMP/jars-$app/lib/0-app.jar" . -x 'lib/*')
done
log "artifacts: $(du -h "$SIGNER_ZIP" | cut -f1) $SIGNER_ZIP, $(du -h "$ENFORCER_ZIP" | cut -f1) $ENFORCER_ZIP"

log "starting the sandbox"
start_sandbox "-Xmx512m -XX:TieredStopAtLevel=1"

# function_args FUNCTION LAYOUT (task or jars): task folder, function name, definition, event
function_args() {
  case $1 in
    signer) echo "$TMP/$2-signer uploadguard-signer uploadsApi bench/lambda-events/signer-post-uploads.json" ;;
    enforcer) echo "$TMP/$2-enforcer uploadguard-enforcer enforceS3Events bench/lambda-events/sqs-s3-created.json" ;;
    release) echo "$TMP/$2-enforcer uploadguard-release-expired releaseExpiredReservations bench/lambda-events/scheduled-release.json" ;;
    *) die "unknown function $1" ;;
  esac
}

# run JDK FUNCTION LABEL [JVM OPTIONS...]: one cold start; prints its line of the table
run() {
  local jdk=$1 fn=$2 label=$3 layout=task jars_only=false result
  shift 3
  if [[ "$label" == aot* ]]; then layout=jars; jars_only=true; fi
  # shellcheck disable=SC2046
  result=$("$jdk/bin/java" -Dcoldstart.jars-only=$jars_only -cp "$HARNESS_CP" io.uploadguard.lambda.harness.ColdStart \
    $(function_args "$fn" "$layout") "$TMP/sandbox.json" "$TMP/$fn-$label-$(basename "$jdk").log" "-Xmx$XMX" "$@" 2>"$TMP/harness.err") \
    || { tail -5 "$TMP/harness.err" >&2; result="failed (see $TMP/$fn-$label-$(basename "$jdk").log)"; }
  printf '%-8s %-10s %-32s %s\n' "$fn" "$label" "$(basename "$jdk")" "$result"
}

for jdk in $JDKS; do
  log "JDK: $("$jdk/bin/java" -version 2>&1 | head -2 | tr '\n' ' ')"
done
printf '%-8s %-10s %-32s %s\n' function variant jdk figures
for jdk in $JDKS; do
  feature=$(java_feature "$jdk/bin/java")
  for fn in $FUNCTIONS; do
    for variant in $VARIANTS; do
      case $variant in
        plain) run "$jdk" "$fn" plain ;;
        c1) run "$jdk" "$fn" c1 -XX:TieredStopAtLevel=1 ;;
        serial) run "$jdk" "$fn" serial -XX:+UseSerialGC ;;
        lambda) run "$jdk" "$fn" c1+serial -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ;;
        aot)
          if (( feature < 25 )); then continue; fi
          run "$jdk" "$fn" aot-train -XX:AOTCacheOutput="$TMP/$fn.aot" -XX:+UseSerialGC
          if [[ -s "$TMP/$fn.aot" ]]; then
            run "$jdk" "$fn" aot -XX:AOTCache="$TMP/$fn.aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
          else
            printf '%-8s %-10s %-32s %s\n' "$fn" aot "$(basename "$jdk")" "no cache written (see $TMP/$fn-aot-train-$(basename "$jdk").log)"
          fi
          ;;
        *) die "unknown variant $variant" ;;
      esac
    done
  done
done
