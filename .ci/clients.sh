#!/usr/bin/env bash
# The pinned Python tools CI uses, in one virtual environment under target/ (ignored by git):
# real MCP clients as outside judges (the Python `mcp` SDK and `fastmcp`: the e2e test
# `real_clients` finds them there and outside CI prints SKIPPED when they are missing), and
# the validators of .ci/metadata.sh (kubernetes-validate, jsonschema).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-python
pins=(mcp==2.3.0 fastmcp==4.2.3 kubernetes-validate==1.37.0 jsonschema==4.26.0)
stamp="$venv/pins.txt"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
  echo "${pins[*]}" >"$stamp"
fi
"$venv/bin/python" -c 'import importlib.metadata as m; print(*(f"{p} {m.version(p)}" for p in ("mcp", "fastmcp", "kubernetes-validate", "jsonschema")), sep=", ")'
