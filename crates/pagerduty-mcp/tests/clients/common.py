"""What the real-client scripts share: the PagerDuty simulator's API (ground truth) and the
server started over HTTP."""

import json
import subprocess
import urllib.request


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
