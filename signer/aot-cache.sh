#!/usr/bin/env bash
# Builds the signer's start-up cache for one JVM: extracts the executable jar into
# signer/target/aot/ (a cache works with a plain class path, not with nested jars), then runs one
# training start that exits right after the Spring context refresh (no database or S3 needed: Flyway
# is off, the pool opens no connection, the presigner signs offline) and writes
#   - on JDK 25 or newer: an AOT cache (JEP 483/514/515: classes loaded and linked, plus method
#     profiles) at signer/target/aot/signer.aot, used with -XX:AOTCache=...;
#   - on JDK 17 to 24: an AppCDS archive at signer/target/aot/signer.jsa, used with
#     -XX:SharedArchiveFile=...
# A cache only works with the JVM build that made it and this class path: make it where it runs
# (e.g. in the image). Run by the Maven profile `aot-cache` (./mvnw -pl signer -am package
# -Paot-cache [-Daot.java=/path/to/bin/java]) or by hand after a package:
#
# Usage: signer/aot-cache.sh [JAVA [JAR [OUT]]]     (about 30 s)
#   JAVA  default: java on the PATH
#   JAR   the executable jar, default: signer/target/uploadguard-signer-*-exec.jar
#   OUT   where the extracted jar and the cache go, default: signer/target/aot
# Prints the JVM options that use the cache.
set -euo pipefail
JAVA=${1:-java}
JAR=${2:-$(ls "$(dirname "$0")"/target/uploadguard-signer-*-exec.jar 2>/dev/null | head -1)}
[[ -n "$JAR" ]] || { echo "no signer/target/uploadguard-signer-*-exec.jar: package first" >&2; exit 1; }
OUT=${3:-$(dirname "$0")/target/aot}
rm -rf "$OUT"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$OUT" >/dev/null
APP="$OUT/$(basename "$JAR")"
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')
if (( feature >= 25 )); then
  CACHE_OPTS=(-XX:AOTCacheOutput="$OUT/signer.aot")
  USE="-XX:AOTCache=$OUT/signer.aot"
else
  CACHE_OPTS=(-XX:ArchiveClassesAtExit="$OUT/signer.jsa")
  USE="-XX:SharedArchiveFile=$OUT/signer.jsa"
fi
# the values only have to let the context start: nothing is signed, stored or connected to
"$JAVA" "${CACHE_OPTS[@]}" -Dspring.context.exit=onRefresh -jar "$APP" \
  --spring.flyway.enabled=false --spring.datasource.url=jdbc:postgresql://127.0.0.1:1/training \
  --spring.cloud.aws.region.static=us-east-1 --spring.cloud.aws.credentials.access-key=training \
  --spring.cloud.aws.credentials.secret-key=training --uploadguard.bucket=training \
  --uploadguard.auth.hmac-secret=training-only-secret-of-at-least-32-bytes \
  --server.port=0 --logging.level.root=WARN >"$OUT/training.log" 2>&1 \
  || { tail -30 "$OUT/training.log" >&2; exit 1; }
# what made it, so that a user can tell whether it fits their JVM
"$JAVA" -version 2>&1 | head -1 >"$OUT/made-by"
echo "$USE -jar $APP"
