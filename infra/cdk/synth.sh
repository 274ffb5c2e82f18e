#!/usr/bin/env bash
# Synthesizes the UploadGuard stack to infra/cdk/cdk.out/UploadGuard.template.json, offline, with
# no CDK CLI: it runs the CDK app (Java) from Maven's build classpath with the machine's Node.js.
#
#   infra/cdk/synth.sh                                  defaults
#   infra/cdk/synth.sh -c bucketName=my-uploads -c corsOrigins=https://app.example.com
#   infra/cdk/synth.sh --all [DIR]                      one template per compute/database combination,
#                                                       in DIR/<combination>/ (default infra/cdk/cdk.out/all)
#
# `cdk synth` / `cdk deploy` (where the CDK CLI is installed) run this same script through cdk.json;
# the CLI then passes its context and output folder in CDK_CONTEXT_JSON and CDK_OUTDIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

context=()
all=""
while [ $# -gt 0 ]; do
  case "$1" in
    --all) all="${2:-$here/cdk.out/all}"; [ $# -gt 1 ] && shift; shift ;;
    -c|--context) context+=("$2"); shift 2 ;;
    -c=*|--context=*) context+=("${1#*=}"); shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "synth.sh: unknown argument $1 (use -c key=value)" >&2; exit 2 ;;
  esac
done

if [ ! -f "$here/target/cdk.classpath" ] || [ ! -d "$here/target/classes/io" ] \
   || [ -n "$(find "$here/src/main" -newer "$here/target/cdk.classpath" -print -quit)" ]; then
  (cd "$root" && ./mvnw -B -q -pl infra/cdk compile) >&2
  touch "$here/target/cdk.classpath"
fi

if [ -n "$all" ]; then
  # Each combination the tests check, for review. The Lambda combinations need the zips from
  # ./mvnw package; without them an empty placeholder stands in (the template differs only in the
  # asset's hash).
  idp=(-c jwtIssuer=https://issuer.example.com/ -c jwtAudiences=uploadguard)
  lambda=(-c compute=lambda)
  version="$(sed -n 's/^project.version=//p' "$here/target/classes/io/uploadguard/cdk/build.properties")"
  for module in signer enforcer; do
    zip="$root/$module/target/uploadguard-$module-$version-lambda.zip"
    if [ ! -f "$zip" ]; then
      placeholder="$(mktemp -d)/$module-lambda.zip"
      python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("README", "placeholder\n")' "$placeholder"
      echo "synth.sh: $zip not built (./mvnw -B -DskipTests package): a placeholder stands in" >&2
      lambda+=(-c "${module}LambdaArtifact=$placeholder")
    fi
  done
  declare -A combinations=(
    [none-none]=""
    [none-aurora]="-c database=aurora"
    [lambda-external]="${lambda[*]} ${idp[*]} -c datasourceUrl=jdbc:postgresql://db.example.com:5432/uploadguard -c datasourceUsername=uploadguard -c datasourcePasswordSecret=uploadguard/db"
    [lambda-aurora]="${lambda[*]} ${idp[*]} -c database=aurora"
    [fargate-aurora]="-c compute=fargate ${idp[*]} -c database=aurora"
    [fargate-external]="-c compute=fargate ${idp[*]} -c datasourceUrl=jdbc:postgresql://db.example.com:5432/uploadguard -c datasourceUsername=uploadguard -c datasourcePasswordSecret=uploadguard/db"
  )
  for name in none-none none-aurora lambda-external lambda-aurora fargate-aurora fargate-external; do
    # shellcheck disable=SC2086 # the combinations are word lists
    CDK_OUTDIR="$all/$name" "$0" ${combinations[$name]} "${context[@]/#/-c=}"
  done
  exit 0
fi

if [ ${#context[@]} -gt 0 ]; then
  CDK_CONTEXT_JSON="$(python3 - "${CDK_CONTEXT_JSON:-{\}}" "${context[@]}" <<'PY'
import json, sys
merged = json.loads(sys.argv[1])
for pair in sys.argv[2:]:
    key, sep, value = pair.partition("=")
    if not sep:
        sys.exit(f"synth.sh: context must be key=value, not {pair}")
    merged[key] = value
print(json.dumps(merged))
PY
)"
  export CDK_CONTEXT_JSON
fi

export CDK_OUTDIR="${CDK_OUTDIR:-$here/cdk.out}"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION="${JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION:-1}"
mkdir -p "$CDK_OUTDIR"
cd "$here"
java -cp "$here/target/classes:$(cat "$here/target/cdk.classpath")" io.uploadguard.cdk.UploadGuardApp
echo "synthesized: $CDK_OUTDIR/$(ls "$CDK_OUTDIR" | grep '\.template\.json$' | head -1)" >&2
