"""MCP by the letter of the official schema (issue 23, item 6): a scripted session per protocol version (2024-11-05,
2025-03-26, 2025-06-18, 2025-11-25) and transport (Streamable HTTP, stdio), and every message the server sent in it
validated against that version's `schema.json` (Tests/Fixtures/mcp-schema, draft-07, with `jsonschema`). Any violation
fails the test and is listed.

How a message is validated:
- every message against `JSONRPCMessage` (a batch answer is a message only in 2025-03-26);
- a result also against the result type of the request it answers (`InitializeResult`, `CallToolResult`,
  `GetPromptResult`, …): `JSONRPCMessage` alone takes any object as a result;
- a notification also against `ServerNotification`;
- an error answering a message whose id could not be read carries no usable id: JSON-RPC 2.0 (section 5) wants
  `"id": null` there and Streamable HTTP ties the answer to its request, so stdio must send `null` and HTTP must leave
  the id out; such an error is checked for that and then validated with the id filled in (`0`), since every schema
  version requires one.

The script also checks what the schemas cannot: the error codes of malformed requests (-32700, -32600, -32602), batches
answered only where the version has them, and a PDF digest's progress arriving on the request's own SSE stream while
the work goes on (no GET stream is opened). Counts per version and transport go to
`.build/artefacts/mcp-schema.json`.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import tempfile

import jsonschema
import pytest

from mcp_flow import RUSSIAN, posts
from mcp_support import CHANNEL, FIXTURES, REPO, fake_telegram, gazette_bin
from mcp_wire import HttpSession, StdioSession
from test_no_request_kills import serve

VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
USER = 1
RESULT_TYPES = {
    "initialize": "InitializeResult", "tools/list": "ListToolsResult", "tools/call": "CallToolResult",
    "resources/list": "ListResourcesResult", "resources/templates/list": "ListResourceTemplatesResult",
    "resources/read": "ReadResourceResult", "prompts/list": "ListPromptsResult", "prompts/get": "GetPromptResult",
    "ping": "Result", "logging/setLevel": "Result", "resources/subscribe": "Result", "resources/unsubscribe": "Result",
}
# Malformed requests and the code each must be answered with; `None` as id: the id cannot be read.
MALFORMED = [
    ("parse error", b'{"jsonrpc": "2.0", "id": 90, "method": "ping"', -32700, None),
    ("no method", b'{"jsonrpc": "2.0", "id": 91}', -32600, 91),
    ("jsonrpc 1.0", b'{"jsonrpc": "1.0", "id": 92, "method": "ping"}', -32600, 92),
    ("object id", b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "ping"}', -32600, None),
    ("tools/call without name", b'{"jsonrpc": "2.0", "id": 93, "method": "tools/call", "params": {"arguments": {}}}', -32602, 93),
    ("tools/call arguments as array",
     b'{"jsonrpc": "2.0", "id": 94, "method": "tools/call", "params": {"name": "list_channels", "arguments": [1]}}', -32602, 94),
    ("resources/read without uri", b'{"jsonrpc": "2.0", "id": 95, "method": "resources/read", "params": {}}', -32602, 95),
    ("unknown method", b'{"jsonrpc": "2.0", "id": 96, "method": "no/such/method"}', -32601, 96),
]


class Schema:
    """One version's schema, validating by definition name."""

    def __init__(self, version: str):
        self.version = version
        self.document = json.loads((FIXTURES / "mcp-schema" / version / "schema.json").read_text(encoding="utf-8"))
        self.validators = {}

    def errors(self, instance, definition: str) -> list[str]:
        if definition not in self.validators:
            root = {"$ref": f"#/definitions/{definition}", "definitions": self.document["definitions"]}
            self.validators[definition] = jsonschema.Draft7Validator(root)
        return [f"{definition}: {e.message[:300]} at {list(e.absolute_path)}" for e in self.validators[definition].iter_errors(instance)]


class Check:
    """Validates the messages of one session and keeps the violations."""

    def __init__(self, version: str, transport: str):
        self.schema = Schema(version)
        self.version, self.transport = version, transport
        self.methods: dict = {}  # request id → method
        self.violations: list[str] = []
        self.count = 0

    def validate(self, message) -> None:
        self.count += 1
        where = f"{self.version}/{self.transport}: {json.dumps(message)[:400]}"
        if isinstance(message, list):
            if self.version != "2025-03-26":
                self.violations.append(f"a batch answer in a version without batches: {where}")
            for e in self.schema.errors(message, "JSONRPCMessage"):
                self.violations.append(f"{e} — {where}")
            for item in message:
                self.validate_result(item, where)
            return
        if "error" in message and ("id" not in message or message["id"] is None):
            if self.transport == "http" and "id" in message:
                self.violations.append(f"an HTTP error with \"id\": null: {where}")
            if self.transport == "stdio" and message.get("id", "absent") is not None:
                self.violations.append(f"a stdio error without \"id\": null: {where}")
            message = {**message, "id": 0}
        for e in self.schema.errors(message, "JSONRPCMessage"):
            self.violations.append(f"{e} — {where}")
        if "method" in message:
            for e in self.schema.errors(message, "ServerNotification"):
                self.violations.append(f"{e} — {where}")
        else:
            self.validate_result(message, where)

    def validate_result(self, message: dict, where: str) -> None:
        if "result" not in message:
            return
        method = self.methods.get(message.get("id"))
        definition = RESULT_TYPES.get(method)
        if definition is None:
            self.violations.append(f"a result for an unknown request {message.get('id')!r}: {where}")
            return
        for e in self.schema.errors(message["result"], definition):
            self.violations.append(f"{e} — {where}")


def script(session, check: Check, version: str, hours: int) -> dict:
    """The session: every list, every prompt, tool calls (a PDF digest with progress, a tool error), resource reads,
    a subscription, logging, the malformed requests and a batch. Returns facts for the caller's own checks."""
    facts = {}
    n = iter(range(1000, 100_000))

    def request(method, params=None):
        request_id = next(n)
        check.methods[request_id] = method
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        return request_id, message

    def call(method, params=None):
        request_id, message = request(method, params)
        if isinstance(session, HttpSession):
            reply = session.post(message)
            return reply.response(request_id), reply
        return session.send(message), None

    check.methods[0] = "initialize"
    facts["init"] = session.initialize()
    call("ping")
    tools = call("tools/list")[0]["result"]["tools"]
    templates = call("resources/templates/list")[0]["result"]["resourceTemplates"]
    call("resources/list")
    prompts = call("prompts/list")[0]["result"]["prompts"]
    call("logging/setLevel", {"level": "info"})
    for p in prompts:
        args = {"daily_digest": {"user_id": str(USER), "hours": "48"}, "summarize_channel": {"channel": CHANNEL},
                "whats_new_since": {"since": (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                    "user_id": str(USER)},
                "ask_my_channels": {"question": "Что нового про аэропорт?", "user_id": str(USER)}}.get(p["name"], {})
        # A prompt added later still gets every argument it requires, so its answer is a result.
        for a in p.get("arguments") or []:
            if a.get("required") and a["name"] not in args:
                args[a["name"]] = str(USER) if a["name"] == "user_id" else "x"
        answer, _ = call("prompts/get", {"name": p["name"], "arguments": args})
        assert "result" in answer, answer
    for uri in (f"gazette://users/{USER}/channels", f"gazette://users/{USER}/digest?hours=48&format=markdown",
                f"gazette://users/{USER}/digest?hours=48&format=pdf", f"gazette://channels/{CHANNEL}/posts?hours=48"):
        answer, _ = call("resources/read", {"uri": uri})
        assert "result" in answer, (uri, answer)
    call("resources/subscribe", {"uri": f"gazette://users/{USER}/channels"})
    call("resources/unsubscribe", {"uri": f"gazette://users/{USER}/channels"})
    assert {t["name"] for t in tools} >= {"generate_pdf_digest", "list_channels"}
    assert templates
    call("tools/call", {"name": "list_channels", "arguments": {"user_id": USER}})
    call("tools/call", {"name": "list_channels", "arguments": {"user_id": "seven"}})  # a tool error (isError)
    call("tools/call", {"name": "convert_markdown_to_pdf", "arguments": {"markdown": "# T\n\ntext"}})
    # A window of its own, so that no earlier session's digest comes from the cache (a cached PDF reports once, done).
    pdf_id, pdf_message = request("tools/call", {"name": "generate_pdf_digest", "arguments": {"user_id": USER, "hours": hours},
                                                 "_meta": {"progressToken": "pdf"}})
    if isinstance(session, HttpSession):
        reply = session.post(pdf_message)
        facts["pdf_stream"] = reply.messages  # the request's own stream, in order
        assert reply.response(pdf_id) and "result" in reply.response(pdf_id), reply.messages
    else:
        assert session.send(pdf_message)

    for label, raw, code, expected_id in MALFORMED:
        if isinstance(session, HttpSession):
            reply = session.post(raw)
            answer = reply.messages[-1] if reply.messages else None
        else:
            answer = session.send(raw, expect_id=expected_id)
        assert answer and answer.get("error", {}).get("code") == code, (label, answer)
        assert answer.get("id") == expected_id, (label, answer)
    # A batch of two pings: answered with an array where the version has batches, refused (-32600) elsewhere.
    first, second = next(n), next(n)
    check.methods[first] = check.methods[second] = "ping"
    batch = [{"jsonrpc": "2.0", "id": first, "method": "ping"}, {"jsonrpc": "2.0", "id": second, "method": "ping"}]
    if isinstance(session, HttpSession):
        reply = session.post(batch)
        if version == "2025-03-26":
            assert reply.status == 200 and sorted(m["id"] for m in reply.messages) == [first, second], (reply.status, reply.messages)
        else:
            assert reply.status == 400 and reply.messages[0]["error"]["code"] == -32600, (reply.status, reply.messages)
    else:
        answer = session.send(json.dumps(batch).encode(), expect_id=None)
        if version == "2025-03-26":
            assert isinstance(answer, list) and sorted(m["id"] for m in answer) == [first, second], answer
        else:
            assert isinstance(answer, dict) and answer["error"]["code"] == -32600, answer
    return facts


def http_level_errors(base: str, check: Check, version: str) -> None:
    """Errors of the HTTP layer (no session, unknown session, wrong Accept): JSON-RPC errors without an id."""
    with HttpSession(base, version) as s:
        s.post({"jsonrpc": "2.0", "id": 1, "method": "ping"})  # no session
        s.headers["Mcp-Session-Id"] = "unknown"
        s.post({"jsonrpc": "2.0", "id": 2, "method": "ping"})
        s.post({"jsonrpc": "2.0", "id": 3, "method": "ping"}, headers={"Accept": "text/plain", "Content-Type": "application/json"})
        for m in s.received:
            assert "error" in m, m
            assert "id" not in m or m["id"] in (1, 2, 3), m
            check.validate(m)


def populate(server) -> None:
    assert server.call("add_channel", {"user_id": USER, "channel_username": CHANNEL}).status_code == 200
    assert server.call("collect_posts", {"channel_username": CHANNEL, "user_id": USER, "hours": 48}).status_code == 200
    assert server.call("save_posts_to_db", {"posts": posts(RUSSIAN, "durov_news", 100), "channel_username": "durov_news",
                                            "user_id": USER}).status_code == 200


@pytest.fixture(scope="module")
def server():
    with tempfile.TemporaryDirectory() as db_dir, fake_telegram() as preview, serve(preview, db_dir) as s:
        populate(s)
        yield s


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("transport", ["http", "stdio"])
def test_every_message_fits_the_official_schema(server, version, transport):
    check = Check(version, transport)
    hours = 40 + 2 * VERSIONS.index(version) + (transport == "stdio")
    if transport == "http":
        with HttpSession(server.base, version) as s:
            facts = script(s, check, version, hours)
            for m in s.received:
                check.validate(m)
            progress = [m for m in facts["pdf_stream"] if m.get("method") == "notifications/progress"]
            # The PDF digest reports its steps on its own stream, before its answer: posts gathered, each channel
            # section, the PDF rendered.
            assert len(progress) >= 3, facts["pdf_stream"]
            values = [p["params"]["progress"] for p in progress]
            assert values == sorted(values) and values[-1] == progress[-1]["params"]["total"], progress
            assert "result" in facts["pdf_stream"][-1], "the answer comes last"
            logs = [m for m in s.received if m.get("method") == "notifications/message"]
            assert logs, "a tool run at level info sends a log message on the request's stream"
        http_level_errors(server.base, check, version)
    else:
        with StdioSession([gazette_bin(), "mcp"], server.env, version=version) as s:
            facts = script(s, check, version, hours)
            for m in s.received:
                check.validate(m)
    assert facts["init"]["protocolVersion"] == version
    record(version, transport, check.count, len(check.violations))
    assert not check.violations, "\n".join(check.violations[:40])


COUNTS: dict = collections.defaultdict(dict)


def record(version: str, transport: str, messages: int, violations: int) -> None:
    COUNTS[version][transport] = {"messages": messages, "violations": violations}
    out = REPO / ".build" / "artefacts"
    out.mkdir(parents=True, exist_ok=True)
    (out / "mcp-schema.json").write_text(json.dumps({"binary": gazette_bin(), "sessions": COUNTS}, indent=2) + "\n")
