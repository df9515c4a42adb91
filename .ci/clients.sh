#!/usr/bin/env bash
# Real MCP clients as outside judges of --confirm-writes: the Python `mcp` SDK and `fastmcp`,
# pinned, in a virtual environment under target/ (ignored by git). The e2e test
# `real_clients` finds them there; outside CI it prints SKIPPED when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-python
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import mcp, fastmcp' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check mcp==2.3.0 fastmcp==4.2.3
fi
"$venv/bin/python" -c 'import importlib.metadata as m; print("mcp", m.version("mcp"), "fastmcp", m.version("fastmcp"))'
