"""What the real-client scripts share: their command line, the PagerDuty simulator's API
(ground truth), the server started over HTTP, and the run of every case on both transports."""

import argparse
import asyncio
import json
import subprocess
import sys
import urllib.request


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)


def parse_args():
    """The Python library under test, the server binary, the simulator and its token."""
    p = argparse.ArgumentParser()
    p.add_argument("--lib", choices=["mcp", "fastmcp"], required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--sim", required=True)
    p.add_argument("--token", required=True)
    return p.parse_args()


class Sim:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.token = token

    def _request(self, path, body=None):
        req = urllib.request.Request(
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            method="GET" if body is None else "POST",
            headers={
                "Authorization": f"Token token={self.token}",
                "Accept": "application/vnd.pagerduty+json;version=2",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(req) as r:
            return json.load(r)

    def puts(self):
        log = self._request("/_sim/requests")["requests"]
        return sum(1 for r in log if r["method"] == "PUT" and r["path"] == "/incidents")

    def notes(self, incident):
        """The contents of the incident's notes."""
        return [n["content"] for n in self._request(f"/incidents/{incident}/notes")["notes"]]

    def open_incidents(self, n):
        """`n` new triggered incidents, made directly in the simulator."""
        service = self._request("/services?limit=1")["services"][0]["id"]
        ids = []
        for i in range(n):
            body = {
                "incident": {
                    "type": "incident",
                    "title": f"confirm-writes check {i}",
                    "service": {"id": service, "type": "service_reference"},
                }
            }
            ids.append(self._request("/incidents", body)["incident"]["id"])
        return ids


def start_http(binary, sim, args):
    """The server on a free port over HTTP, per-request credentials; returns (process, URL)."""
    proc = subprocess.Popen(
        [binary, "--http", "--port", "0", *args],
        env={"PAGERDUTY_API_HOST": sim.url, "PATH": "/usr/bin:/bin"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in proc.stderr:
        if "addr=" in line:
            addr = line.split("addr=")[1].split()[0]
            return proc, f"http://{addr}/mcp"
    raise RuntimeError("the server exited before listening")


async def run_cases(binary, sim, server_args, cases):
    """Runs the (name, coroutine) pairs of `cases(transport, url)` over stdio, then over HTTP
    (one server with `server_args` for all of them), each within 60 s. Prints a PASS line (with
    what the case says, if anything) or a FAIL line for each, then exits 1 if any failed."""
    failures = 0
    for transport in ["stdio", "http"]:
        proc, url = start_http(binary, sim, server_args) if transport == "http" else (None, None)
        try:
            for name, run in cases(transport, url):
                try:
                    said = await asyncio.wait_for(run, 60)
                    print(f"PASS {name}" + (f": {said}" if said is not None else ""), flush=True)
                except Exception as e:  # every failure is reported, then the run fails
                    failures += 1
                    print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        finally:
            if proc:
                proc.terminate()
                proc.wait()
    sys.exit(1 if failures else 0)
