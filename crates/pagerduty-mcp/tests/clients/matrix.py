"""The real-client matrix: the Python `mcp` SDK or `fastmcp`, over stdio and Streamable HTTP, in
every protocol version the library speaks (the four handshake versions through `initialize`,
2026-07-28 through `server/discover`). Each case connects, lists tools, calls a read tool
(list_incidents) and a write tool (add_note_to_incident, checked in the simulator), checks that
each structured result is the text result's JSON and validates against the tool's output
schema, and lists and reads a resource.

Usage: matrix.py --lib mcp|fastmcp --bin PATH --sim URL --token TOKEN
Prints one line per transport x protocol and exits non-zero if any failed.
"""

import asyncio
import importlib.metadata
import json

import httpx2
import jsonschema
import mcp.client.session
from common import Sim, check, parse_args, run_cases

SERVER_ARGS = ["--enable-write-tools"]
HANDSHAKE = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
MODERN = "2026-07-28"


def client(lib, transport, version, binary, sim, url):
    """An un-entered client speaking `version`. The SDK's `initialize` offers its newest
    handshake version; an older one is offered by setting that constant, as an older SDK
    would send it."""
    mode = "legacy" if version in HANDSHAKE else version
    mcp.client.session.LATEST_HANDSHAKE_VERSION = version if version in HANDSHAKE else HANDSHAKE[-1]
    auth = {"Authorization": f"Token token={sim.token}"}
    env = {"PAGERDUTY_API_HOST": sim.url, "PAGERDUTY_USER_API_KEY": sim.token}
    if lib == "mcp":
        from mcp import StdioServerParameters
        from mcp.client.streamable_http import streamable_http_client

        server = (
            StdioServerParameters(command=binary, args=SERVER_ARGS, env=env)
            if transport == "stdio"
            else streamable_http_client(url, http_client=httpx2.AsyncClient(headers=auth))
        )
        return mcp.Client(server, mode=mode)
    import fastmcp
    from fastmcp.client.transports import StdioTransport, StreamableHttpTransport

    server = (
        StdioTransport(command=binary, args=SERVER_ARGS, env=env)
        if transport == "stdio"
        else StreamableHttpTransport(url, headers=auth)
    )
    return fastmcp.Client(server, mode=mode)


async def tools(lib, c):
    listed = await c.list_tools()
    return {t.name: t for t in (listed.tools if lib == "mcp" else listed)}


async def call(lib, c, tool, args, schema):
    """The structured result of a successful call, checked against its text and schema."""
    r = await (c.call_tool(tool, args) if lib == "mcp" else c.call_tool_mcp(tool, args))
    text = "\n".join(getattr(b, "text", "") for b in r.content)
    check(not r.is_error, f"{tool} failed: {text}")
    structured = r.structured_content
    check(isinstance(structured, dict), f"{tool}: no structured content")
    check(json.loads(text) == structured, f"{tool}: text and structured content differ")
    jsonschema.validate(structured, schema)
    return structured


async def resources(lib, c, version):
    listed = await c.list_resources()
    listed = listed.resources if lib == "mcp" else listed
    check(listed, "no open incident resources")
    uri = str(listed[0].uri)
    read = await c.read_resource(uri)
    contents = read.contents if lib == "mcp" else read
    body = json.loads(contents[0].text)
    check(uri.endswith("/" + body["id"]), f"{uri} read as {body.get('id')}")
    if lib == "mcp":
        # Caching hints exist from 2026-07-28 on (the SDK reads an absent one as 0).
        hint = (read.ttl_ms, read.cache_scope)
        check(hint == ((5000, "private") if version == MODERN else (0, "private")), f"caching hint {hint}")
    return len(listed)


async def case(lib, transport, version, binary, sim, url):
    async with client(lib, transport, version, binary, sim, url) as c:
        session = c.session
        check(str(session.protocol_version) == version, f"negotiated {session.protocol_version}")
        listed = await tools(lib, c)
        check({"list_incidents", "add_note_to_incident"} <= listed.keys(), f"{len(listed)} tools")
        schema = lambda name: listed[name].output_schema or {"type": "object"}  # noqa: E731
        page = await call(lib, c, "list_incidents", {"statuses": ["triggered"], "limit": 2}, schema("list_incidents"))
        check(len(page["items"]) == 2, f"list_incidents gave {len(page['items'])}")
        incident = page["items"][0]["id"]
        note = f"matrix {lib} {transport} {version}"
        await call(lib, c, "add_note_to_incident", {"incident_id": incident, "note": note}, schema("add_note_to_incident"))
        check(note in sim.notes(incident), "the note is not in PagerDuty")
        count = await resources(lib, c, version)
    return f"{len(listed)} tools, list_incidents and add_note_to_incident structured and schema-valid, {count} resources"


async def main():
    a = parse_args()
    sim = Sim(a.sim, a.token)
    label = f"{a.lib} {importlib.metadata.version(a.lib)}"

    def cases(transport, url):
        for version in [*HANDSHAKE, MODERN]:
            yield f"{label} {transport} {version}", case(a.lib, transport, version, a.bin, sim, url)

    await run_cases(a.bin, sim, SERVER_ARGS, cases)


asyncio.run(main())
