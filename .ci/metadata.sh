#!/usr/bin/env bash
# Deployment metadata, validated: the Kubernetes examples against the Kubernetes schemas and
# their own rules (probes, drain within the grace period).
# Needs the Python tools of .ci/clients.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
py=target/ci-python/bin

echo "-- Kubernetes manifests (kubernetes-validate, strict)"
"$py/kubernetes-validate" --strict --quiet deploy/*.yaml
"$py/python" .ci/kubernetes-policy.py deploy/*.yaml
