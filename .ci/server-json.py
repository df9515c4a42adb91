"""server.json against the MCP Registry's published schema (2025-12-11), and against this
repository: the version is the crate's, each environment variable is one the server reads.

Usage: python server-json.py SCHEMA server.json"""
import json
import re
import sys

import jsonschema

schema_path, doc_path = sys.argv[1:3]
with open(schema_path) as f:
    schema = json.load(f)
with open(doc_path) as f:
    doc = json.load(f)

problems = []
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
    problems.append(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}")
if doc.get("$schema") != schema["$id"]:
    problems.append(f"$schema must be {schema['$id']}")

with open("Cargo.toml") as f:
    version = re.search(r'^version = "([^"]+)"', f.read(), re.M).group(1)
if doc.get("version") != version:
    problems.append(f"version {doc.get('version')} is not the crate's {version}")
for p in doc.get("packages", []):
    if p.get("version", version) != version or version not in p["identifier"]:
        problems.append(f"package {p['identifier']} is not version {version}")

# Every variable named is one the server reads (its source or clap's env = "…").
source = ""
for path in ["crates/pagerduty-mcp/src/config.rs", "crates/pagerduty-mcp/src/credentials.rs"]:
    with open(path) as f:
        source += f.read()
for p in doc.get("packages", []):
    for var in p.get("environmentVariables", []):
        if f'"{var["name"]}"' not in source:
            problems.append(f"{var['name']} is not a variable the server reads")

for p in problems:
    print(f"error: server.json: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"server.json: valid against {schema['$id']}")
