"""The Kubernetes examples' own rules, beyond the schemas kubernetes-validate checks: every
Deployment's server is probed on /healthz, and its drain time-out (--drain-timeout or
MCP_DRAIN_TIMEOUT, default 30 s) ends within the pod's termination grace period, so SIGKILL
never cuts calls that are still draining.

Usage: python kubernetes-policy.py deploy/*.yaml (PyYAML comes with kubernetes-validate)."""
import sys

import yaml

DEFAULT_DRAIN = 30  # --drain-timeout's default, seconds
DEFAULT_GRACE = 30  # Kubernetes' default terminationGracePeriodSeconds


def drain_timeout(container):
    args = container.get("args", [])
    for i, arg in enumerate(args):
        if arg.startswith("--drain-timeout="):
            return int(arg.split("=", 1)[1])
        if arg == "--drain-timeout":
            return int(args[i + 1])
    for env in container.get("env", []):
        if env["name"] == "MCP_DRAIN_TIMEOUT":
            return int(env["value"])
    return DEFAULT_DRAIN


def problems(path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    deployments = [d for d in docs if d.get("kind") == "Deployment"]
    if not deployments:
        yield f"{path}: no Deployment"
    for d in deployments:
        name = f"{path}: deployment/{d['metadata']['name']}"
        pod = d["spec"]["template"]["spec"]
        grace = pod.get("terminationGracePeriodSeconds", DEFAULT_GRACE)
        for c in pod["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                got = c.get(probe, {}).get("httpGet", {}).get("path")
                if got != "/healthz":
                    yield f"{name}: {probe} must be an httpGet of /healthz, not {got!r}"
            drain = drain_timeout(c)
            if drain >= grace:
                yield (f"{name}: drain time-out {drain} s must end within "
                       f"terminationGracePeriodSeconds {grace} s (give it a few seconds more)")


found = [p for path in sys.argv[1:] for p in problems(path)]
for p in found:
    print(f"error: {p}", file=sys.stderr)
if found:
    sys.exit(1)
print(f"kubernetes policy: {len(sys.argv) - 1} manifests probe /healthz and drain within their grace period")
