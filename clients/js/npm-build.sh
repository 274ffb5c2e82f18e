#!/usr/bin/env bash
# Run by Maven (clients/js/pom.xml) in the test phase: installs the package's dev tools from its
# lock file and runs `npm test` (tsc type check of the hand-written declarations, then node --test).
# Without npm it says why and succeeds, like the other tests that need a tool from the machine.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-false}" = "true" ]; then
  echo "@uploadguard/client: tests skipped (skipTests)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "@uploadguard/client: skipped: no npm/node on PATH (apt-get install nodejs npm)"
  exit 0
fi
if [ ! -x node_modules/.bin/tsc ]; then
  # from npm's cache when it has everything, else from the registry npm is configured with
  npm ci --offline --no-audit --no-fund --silent >/dev/null 2>&1 \
    || npm ci --no-audit --no-fund --silent
fi
npm test --silent
