"""--confirm-writes judged by real MCP clients: the Python `mcp` SDK or `fastmcp`.

Drives the pagerduty-mcp binary over stdio and Streamable HTTP, with a pre-2026 protocol
(elicitation request during the call) and 2026-07-28 (input_required result and retry), against
a running PagerDuty simulator, and checks with the simulator's request log what was sent:

  approve         -> the incident is resolved with exactly one PUT
  decline         -> refused as not confirmed, nothing sent
  tampered        -> 2026-07-28: a retry with other arguments, a forged state or a replayed
                     approval is refused; pre-2026: an answer outside the question's schema is
                     refused. Nothing sent by any of them.
  no-elicitation  -> a client that declares no elicitation is refused with the reason

Usage: confirm.py --lib mcp|fastmcp --bin PATH --sim URL --token TOKEN
Prints one line per case and exits non-zero if any failed.
"""

import asyncio

import httpx2
from common import Sim, check, parse_args, run_cases

ERAS = {"legacy": "legacy", "modern": "auto"}
SERVER_ARGS = ["--enable-write-tools", "--confirm-writes"]


def resolve(incident):
    return {"manage_request": {"incident_ids": [incident], "status": "resolved"}}


class Person:
    """Answers confirmation questions with `content` (accept) or `action` (decline), and
    remembers them."""

    def __init__(self, action="accept", content=None):
        self.action = action
        self.content = {"confirm": True} if content is None else content
        self.asked = []


def client(lib, transport, era, binary, sim, url, person):
    """An un-entered client of library `lib`; `person` None declares no elicitation."""
    mode = ERAS[era]
    auth = {"Authorization": f"Token token={sim.token}"}
    env = {"PAGERDUTY_API_HOST": sim.url, "PAGERDUTY_USER_API_KEY": sim.token}
    if lib == "mcp":
        import mcp
        from mcp import StdioServerParameters, types
        from mcp.client.streamable_http import streamable_http_client

        async def on_elicit(context, params):
            person.asked.append(params.message)
            if person.action != "accept":
                return types.ElicitResult(action=person.action)
            return types.ElicitResult(action="accept", content=person.content)

        server = (
            StdioServerParameters(command=binary, args=SERVER_ARGS, env=env)
            if transport == "stdio"
            else streamable_http_client(url, http_client=httpx2.AsyncClient(headers=auth))
        )
        kwargs = {"elicitation_callback": on_elicit} if person else {}
        return mcp.Client(server, mode=mode, **kwargs)
    import fastmcp
    from fastmcp.client.elicitation import ElicitResult
    from fastmcp.client.transports import StdioTransport, StreamableHttpTransport

    async def on_elicit(message, response_type, params, context):
        person.asked.append(message)
        if person.action != "accept":
            return ElicitResult(action=person.action)
        return ElicitResult(action="accept", content=person.content)

    server = (
        StdioTransport(command=binary, args=SERVER_ARGS, env=env)
        if transport == "stdio"
        else StreamableHttpTransport(url, headers=auth)
    )
    kwargs = {"elicitation_handler": on_elicit} if person else {}
    return fastmcp.Client(server, mode=mode, **kwargs)


def session(lib, c):
    return c.session


async def call(lib, c, tool, args):
    """(is_error, text) of a call through the library's high-level API."""
    if lib == "mcp":
        r = await c.call_tool(tool, args)
    else:
        r = await c.call_tool_mcp(tool, args)
    text = "\n".join(getattr(b, "text", "") for b in r.content)
    return bool(r.is_error), text


def negotiated(lib, c):
    return str(session(lib, c).protocol_version)


async def approve(lib, transport, era, binary, sim, url):
    person = Person()
    (incident,) = sim.open_incidents(1)
    before = sim.puts()
    async with client(lib, transport, era, binary, sim, url, person) as c:
        version = negotiated(lib, c)
        check((version == "2026-07-28") == (era == "modern"), f"negotiated {version}")
        err, text = await call(lib, c, "manage_incidents", resolve(incident))
    check(not err, f"refused: {text}")
    check(len(person.asked) == 1, f"asked {len(person.asked)} times")
    check("PUT /incidents" in person.asked[0] and incident in person.asked[0], person.asked[0])
    check(sim.puts() == before + 1, f"{sim.puts() - before} PUTs")


async def decline(lib, transport, era, binary, sim, url):
    person = Person(action="decline")
    (incident,) = sim.open_incidents(1)
    before = sim.puts()
    async with client(lib, transport, era, binary, sim, url, person) as c:
        err, text = await call(lib, c, "manage_incidents", resolve(incident))
    check(err and "not confirmed" in text, text)
    check(len(person.asked) == 1, f"asked {len(person.asked)} times")
    check(sim.puts() == before, "something was sent")


async def no_elicitation(lib, transport, era, binary, sim, url):
    (incident,) = sim.open_incidents(1)
    before = sim.puts()
    async with client(lib, transport, era, binary, sim, url, None) as c:
        err, text = await call(lib, c, "manage_incidents", resolve(incident))
    check(err and "did not declare the elicitation capability" in text and "dry_run" in text, text)
    check(sim.puts() == before, "something was sent")


async def tampered(lib, transport, era, binary, sim, url):
    incident, other = sim.open_incidents(2)
    before = sim.puts()
    if era == "legacy":
        # The answer travels within the call: one outside the question's schema is refused.
        person = Person(content={"confirm": "sure"})
        async with client(lib, transport, era, binary, sim, url, person) as c:
            err, text = await call(lib, c, "manage_incidents", resolve(incident))
        check(err and "nothing was sent" in text, text)
        check(sim.puts() == before, "something was sent")
        return
    from mcp_types import InputRequiredResult

    async with client(lib, transport, era, binary, sim, url, Person()) as c:
        s = session(lib, c)
        first = await s.call_tool("manage_incidents", resolve(incident), allow_input_required=True)
        check(isinstance(first, InputRequiredResult), f"expected input_required, got {first!r}")
        state = first.request_state
        yes = {"confirm_write": {"action": "accept", "content": {"confirm": True}}}

        async def retry(args, state):
            r = await s.call_tool(
                "manage_incidents", args, input_responses=yes, request_state=state, allow_input_required=True
            )
            return bool(getattr(r, "is_error", False)), "\n".join(getattr(b, "text", "") for b in r.content)

        err, text = await retry(resolve(other), state)
        check(err and "does not match" in text, f"other arguments: {text}")
        forged = state[: len(state) // 2] + ("A" if state[len(state) // 2] != "A" else "B") + state[len(state) // 2 + 1 :]
        err, text = await retry(resolve(incident), forged)
        check(err and "does not match" in text, f"forged state: {text}")
        check(sim.puts() == before, "a tampered retry sent something")
        err, text = await retry(resolve(incident), state)
        check(not err, f"the untouched retry was refused: {text}")
        check(sim.puts() == before + 1, "the approved retry did not write once")
        err, text = await retry(resolve(incident), state)
        check(err and "already used" in text, f"replay: {text}")
        check(sim.puts() == before + 1, "the replay sent something")


SCENARIOS = [approve, decline, tampered, no_elicitation]


async def main():
    a = parse_args()
    sim = Sim(a.sim, a.token)

    def cases(transport, url):
        for era in ["legacy", "modern"]:
            for scenario in SCENARIOS:
                case = f"{a.lib} {transport} {era} {scenario.__name__}"
                yield case, scenario(a.lib, transport, era, a.bin, sim, url)

    await run_cases(a.bin, sim, SERVER_ARGS, cases)


asyncio.run(main())
