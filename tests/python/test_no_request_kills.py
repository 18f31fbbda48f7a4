"""No request kills a process (issue 23): every MCP tool over Streamable HTTP and over stdio, every resource template,
every resource, every prompt, every REST tool and every web-reader route, each with valid arguments and with the bad
inputs the other suites use, on an empty database and on a populated one. After every call the process must still
answer (`/health/live`; over stdio a ping); a dead or silent process fails the suite and names the call.

The tools, templates and prompts come from the server itself (`tools/list`, `resources/templates/list`,
`prompts/list`, `GET /tools`), so a new tool is covered without touching this file: its arguments are filled from its
input schema when the table below does not know them. Under `make test` this runs against the release binary (the one
`make run`, `make install` and the container ship), where issue 23's crash lived.

The counts of calls per surface are written to `.build/artefacts/no-request-kills.json`.
"""
from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import pathlib
import re
import subprocess
import tempfile
import urllib.parse

import httpx
import pytest

from mcp_flow import ENGLISH, ERROR_TABLE, RUSSIAN, posts
from mcp_support import CHANNEL, REPO, fake_telegram, free_port, gazette_bin, gazette_env, wait_until
from mcp_wire import HttpSession, StdioSession

ARTEFACTS = REPO / ".build" / "artefacts"
USER = 1
OPML = ('<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        f'<outline text="a" xmlUrl="https://t.me/s/{CHANNEL}"/></body></opml>')

# A valid value for each argument name the tools use; a tool's arguments are the names of its input schema found here
# (required ones are always sent; unknown required ones are filled from their JSON type).
VALID = {
    "user_id": USER, "channel_username": CHANNEL, "channel": CHANNEL, "hours": 48, "limit": 5, "max_sentences": 3,
    "posts": posts(ENGLISH, "worldnews", 500), "markdown": "# Title\n\nSome *text* and a [link](https://example.com).",
    "sections": ["## One\n\nfirst", "## Two\n\nsecond"], "template": "default",
    "summaries": [{"channel": "worldnews", "summary": "- A summary.", "post_count": 3}], "metadata": {"title": "T"},
    "kind": "exclude", "value": "реклама", "language": "en", "images": "on", "opml": OPML, "destinations": ["feed"],
    "email": "reader@example.com", "daily_digest": True, "daily_hour": 7, "time_zone": "Europe/Berlin", "tags": ["news"],
    "channel_id": 1, "query": 'аэропорт "новые тарифы" -ремонт электр*', "since": "7d", "until": "2999-01-01",
}
# Wrong for every tool that takes them: out of range, wrong type, too long.
WRONG = {
    "integer": ["seven", -1, 0, 2**63, 1.5, None, [1]],
    "string": [12345, "", "x" * 100_000, None, {"a": 1}],
    "array": ["x", [None], [{"zz": 1}] * 3, {}],
    "object": ["x", [], {"zz": {"zz": None}}],
    "boolean": ["yes", 1, None],
}
# Destructive tools run last, so the others see the populated data.
LAST = ("delete_channel", "remove_filter")
TEMPLATE_VALUES = {
    "user_id": [str(USER), "0", "abc", "99999999999999999999", "-5"],
    "hours": ["24", "0", "999", "x", "1e3"],
    "format": ["markdown", "pdf", "xml", ""],
    "channel": [CHANNEL, "nosuchchannel", "a b", "%00", "x" * 3000],
}
PROMPT_VALUES = {
    "user_id": [str(USER), "0", "abc", "2"],
    "hours": ["24", "0", "500", "x"],
    "channel": [CHANNEL, "nosuchchannel", "a b", ""],
    "since": ["2020-01-01T00:00:00Z", "yesterday", "2999-01-01T00:00:00Z", ""],
    "question": ["Что писали про аэропорт?", "", "x" * 3000, "\"unclosed -* OR 1=1"],
}
# Requests no client library sends; each must get an answer and leave the process alive.
RAW_MCP = [
    b"{", b"not json", b"[", b"[]", b"{}", b"null", b"42", b'"x"', b"[" * 5000,
    b'{"jsonrpc":"2.0","id":1}',
    b'{"jsonrpc":"1.0","id":1,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}',
    b'{"jsonrpc":"2.0","id":[1],"method":"tools/list"}',
    b'{"jsonrpc":"2.0","id":null,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_channels","arguments":[1,2]}}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}',
    b'{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{}}',
    b'{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"daily_digest","arguments":{"hours":24}}}',
    b'{"jsonrpc":"2.0","id":1,"method":"no/such/method"}',
    b'[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]',
    b'[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"generate_pdf_digest","arguments":{"user_id":1}}}]',
]
RAW_REST = [b"", b"{", b"not json", b"[" * 10000, b"[]", b'{"arguments": {}}', b'{"tool_name": "nope", "arguments": {}}',
            b'{"tool_name": "list_channels", "arguments": [1]}', b'{"tool_name": 5}']


class Calls:
    """Counts the calls per surface and checks after each one that the process still answers."""

    def __init__(self):
        self.counts: collections.Counter = collections.Counter()

    def after(self, surface: str, label: str, alive) -> None:
        self.counts[surface] += 1
        problem = alive()
        if problem:
            pytest.fail(f"{problem} after {surface}: {label}")

    @contextlib.contextmanager
    def calling(self, surface: str, label: str, alive):
        """A call whose connection breaks (the process died while answering) fails naming the call and how the process
        ended, instead of a client library's traceback."""
        try:
            yield
        except (httpx.TransportError, OSError, EOFError, ValueError) as error:
            problem = alive()
            pytest.fail(f"{problem or 'no answer'} ({type(error).__name__}) during {surface}: {label}")


def type_of(schema: dict) -> str:
    t = schema.get("type", "string")
    return t[0] if isinstance(t, list) else t


def filler(schema: dict):
    return {"integer": 1, "number": 1, "string": "x", "array": [], "object": {}, "boolean": True}.get(type_of(schema), "x")


def argument_sets(tool: str, schema: dict, extra_valid: dict) -> list[tuple[str, dict | list]]:
    """(label, arguments) pairs: the valid call first, then the bad ones."""
    props = schema.get("properties", {})
    required = schema.get("required", [])
    known = {**VALID, **extra_valid}
    valid = {name: (known[name] if name in known else filler(props[name])) for name in props
             if name in known or name in required}
    sets: list[tuple[str, dict | list]] = [("valid", valid), ("no arguments", {}), ("unknown argument", {**valid, "zz": 1})]
    for name, prop in props.items():
        for i, wrong in enumerate(WRONG.get(type_of(prop), [])):
            sets.append((f"{name} wrong #{i}", {**valid, name: wrong}))
    sets += [(f"error table: {args}", args) for name, args, _ in ERROR_TABLE if name == tool]
    return sets


def tool_calls(tools: list[dict], extra_valid: dict):
    """Every tool with every argument set, destructive ones last; and two unknown tools."""
    ordered = sorted(tools, key=lambda t: t["name"] in LAST)
    for t in ordered:
        schema = t.get("inputSchema") or t.get("input_schema") or {}
        for label, args in argument_sets(t["name"], schema, extra_valid):
            yield t["name"], label, args
    yield "no_such_tool", "unknown tool", {}
    yield "", "empty tool name", {}


def expand(template: str, values: dict[str, str]) -> str:
    """RFC 6570 for the two forms Gazette's templates use: `{name}` and `{?a,b}`."""
    def one(match: re.Match) -> str:
        body = match.group(1)
        if body.startswith("?"):
            names = body[1:].split(",")
            return "?" + "&".join(f"{n}={urllib.parse.quote(values[n], safe='')}" for n in names)
        return urllib.parse.quote(values[body], safe="")
    return re.sub(r"\{([^}]+)\}", one, template)


def template_uris(templates: list[dict]) -> list[str]:
    uris = []
    for t in templates:
        names = [n for group in re.findall(r"\{\??([^}]+)\}", t["uriTemplate"]) for n in group.split(",")]
        valid = {n: TEMPLATE_VALUES.get(n, ["x"])[0] for n in names}
        uris.append(expand(t["uriTemplate"], valid))
        if "format" in valid:
            uris.append(expand(t["uriTemplate"], {**valid, "format": "pdf"}))
        for n in names:
            for bad in TEMPLATE_VALUES.get(n, ["x"])[1:]:
                uris.append(expand(t["uriTemplate"], {**valid, n: bad}))
    return uris + ["gazette://documents/missing.pdf", "gazette://nowhere", "file:///etc/passwd", "", "x" * 10000]


def prompt_calls(prompts: list[dict]):
    for p in prompts:
        args = p.get("arguments") or []
        valid = {a["name"]: PROMPT_VALUES.get(a["name"], ["x"])[0] for a in args}
        yield p["name"], "valid", valid
        yield p["name"], "no arguments", {}
        yield p["name"], "unknown argument", {**valid, "zz": "1"}
        for a in args:
            for bad in PROMPT_VALUES.get(a["name"], ["x"])[1:]:
                yield p["name"], f"{a['name']}={bad!r}", {**valid, a["name"]: bad}
    yield "no_such_prompt", "unknown prompt", {}


def web_paths(token: str) -> list[str]:
    unknown = "A" * 43
    paths = []
    for t in (token, unknown, "short", "x" * 43 + "!", "%2e%2e"):
        base = f"/u/{t}"
        paths += [base, base + "/", base + "/digest", base + "/digest.pdf", base + "/feed.atom", base + "/digests/1",
                  base + "/digests/1.pdf", base + "/img/" + "a" * 64, base + "/search", base + "/search?q=x"]
    base = f"/u/{token}"
    for hours in ("1", "168", "0", "169", "abc", "-1", "99999999999999999999", "1.5", ""):
        paths += [f"{base}/digest?hours={hours}", f"{base}/digest.pdf?hours={hours}"]
    for query in ("%D0%B0%D1%8D%D1%80%D0%BE%D0%BF%D0%BE%D1%80%D1%82", "%22unclosed", "-only", "", "+", "a*", "x" * 600, "%00",
                  "%ZZ", "%27%29%3B+DROP+TABLE+posts%3B+--", "q&q=second"):
        paths += [f"{base}/search?q={query}", f"{base}/search?q={query}&since=7d&page=2",
                  f"{base}/search?q={query}&page=0", f"{base}/search?q={query}&page=99999999999999999999",
                  f"{base}/search?q={query}&since=yesterday&channel=%00"]
    paths += [f"{base}/digests/abc", f"{base}/digests/-1.pdf", f"{base}/digests/99999999999999999999",
              f"{base}/digests/.pdf", f"{base}/img/..", f"{base}/img/" + "z" * 5000, f"{base}/nowhere"]
    return paths


class Server:
    """`gazette serve` on one database, with the helpers the phases use."""

    def __init__(self, base: str, proc: subprocess.Popen, log: pathlib.Path, env: dict):
        self.base, self.proc, self.log, self.env = base, proc, log, env
        self.http = httpx.Client(base_url=base, timeout=120)

    def alive(self) -> str | None:
        if self.proc.poll() is not None:
            return f"gazette serve exited with {self.proc.returncode}; log: {self.log_tail()}"
        try:
            if self.http.get("/health/live", timeout=10).status_code != 200:
                return "gazette serve stopped answering /health/live"
        except httpx.HTTPError as e:
            return f"gazette serve did not answer /health/live ({e!r}); log: {self.log_tail()}"
        return None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def call(self, tool: str, args) -> httpx.Response:
        return self.http.post("/call", json={"tool_name": tool, "arguments": args})


def run_mcp_http(server: Server, calls: Calls, extra_valid: dict) -> None:
    surface = "mcp-http"
    with HttpSession(server.base, "2025-06-18") as s:
        s.initialize()
        tools = s.request("tools/list")[0]["result"]["tools"]
        templates = s.request("resources/templates/list")[0]["result"]["resourceTemplates"]
        prompts = s.request("prompts/list")[0]["result"]["prompts"]
        resources = s.request("resources/list")[0]["result"]["resources"]
        for label in ("tools/list", "resources/templates/list", "prompts/list", "resources/list"):
            calls.after(surface, label, server.alive)
        s.request("logging/setLevel", {"level": "debug"})
        calls.after(surface, "logging/setLevel", server.alive)

        def answered(what: str, response) -> None:
            calls.after(surface, what, lambda: server.alive() or (None if response else "no JSON-RPC answer"))

        for name, label, args in tool_calls(tools, extra_valid):
            with calls.calling(surface, f"tools/call {name} ({label})", server.alive):
                response, _ = s.request("tools/call", {"name": name, "arguments": args, "_meta": {"progressToken": f"p-{name}"}})
            answered(f"tools/call {name} ({label})", response)
        for uri in template_uris(templates) + [r["uri"] for r in resources]:
            with calls.calling(surface, f"resources/read {uri[:120]}", server.alive):
                response, _ = s.request("resources/read", {"uri": uri})
            answered(f"resources/read {uri[:120]}", response)
        for name, label, args in prompt_calls(prompts):
            with calls.calling(surface, f"prompts/get {name} ({label})", server.alive):
                response, _ = s.request("prompts/get", {"name": name, "arguments": args})
            answered(f"prompts/get {name} ({label})", response)
        for raw in RAW_MCP:
            s.post(raw)
            calls.after(surface, f"raw POST {raw[:80]!r}", server.alive)
        for headers in ({}, {"Accept": "text/plain"}, {**s.headers, "MCP-Protocol-Version": "1999-01-01"},
                        {**s.headers, "Mcp-Session-Id": "nope"}, {**s.headers, "Content-Type": "text/plain"}):
            s.post({"jsonrpc": "2.0", "id": 99, "method": "ping"}, headers=headers)
            calls.after(surface, f"POST with headers {sorted(headers)}", server.alive)
        s.close()
        calls.after(surface, "DELETE /mcp", server.alive)


def run_mcp_stdio(server: Server, calls: Calls, extra_valid: dict) -> None:
    surface = "mcp-stdio"
    with StdioSession([gazette_bin(), "mcp"], server.env) as s:
        def alive_after(response):
            def check():
                if not s.alive():
                    return f"gazette mcp exited with {s.proc.returncode}; stderr: {s.proc.stderr.read()[-2000:]!r}"
                if not response:
                    return "no JSON-RPC answer"
                return None if s.ping() else "gazette mcp stopped answering ping"
            return check

        s.initialize()
        tools = s.request("tools/list")["result"]["tools"]
        templates = s.request("resources/templates/list")["result"]["resourceTemplates"]
        prompts = s.request("prompts/list")["result"]["prompts"]
        calls.counts[surface] += 3
        for name, label, args in tool_calls(tools, extra_valid):
            with calls.calling(surface, f"tools/call {name} ({label})", alive_after(None)):
                response = s.request("tools/call", {"name": name, "arguments": args, "_meta": {"progressToken": 1}})
            calls.after(surface, f"tools/call {name} ({label})", alive_after(response))
        for uri in template_uris(templates):
            response = s.request("resources/read", {"uri": uri})
            calls.after(surface, f"resources/read {uri[:120]}", alive_after(response))
        for name, label, args in prompt_calls(prompts):
            response = s.request("prompts/get", {"name": name, "arguments": args})
            calls.after(surface, f"prompts/get {name} ({label})", alive_after(response))
        for raw in RAW_MCP:
            s.write(raw)
            calls.after(surface, f"raw line {raw[:80]!r}", alive_after(True))


def run_rest(server: Server, calls: Calls, extra_valid: dict) -> None:
    surface = "rest"
    tools = server.http.get("/tools").json()["tools"]
    for name, label, args in tool_calls([{"name": t["name"], "inputSchema": t["input_schema"]} for t in tools], extra_valid):
        with calls.calling(surface, f"POST /call {name} ({label})", server.alive):
            r = server.call(name, args)
        calls.after(surface, f"POST /call {name} ({label}) -> {r.status_code}",
                    lambda: server.alive() or (f"HTTP {r.status_code}: {r.text[:300]}" if r.status_code == 500 else None))
    for raw in RAW_REST:
        server.http.post("/call", content=raw, headers={"Content-Type": "application/json"})
        calls.after(surface, f"raw POST /call {raw[:60]!r}", server.alive)
    for path in ("/", "/tools", "/health", "/health/ready", "/metrics"):
        server.http.get(path)
        calls.after(surface, f"GET {path}", server.alive)


def run_web(server: Server, calls: Calls, token: str) -> None:
    surface = "web"
    for path in web_paths(token):
        with calls.calling(surface, f"GET {path[:120]}", server.alive):
            r = server.http.get(path)
        calls.after(surface, f"GET {path[:120]} -> {r.status_code}",
                    lambda: server.alive() or (f"HTTP 500: {r.text[:300]}" if r.status_code >= 500 else None))


def populate(server: Server) -> dict:
    """A subscribed channel with fetched posts, a second one with saved posts, a filter and a language: what the
    populated phase calls the tools on. Returns argument values that only exist now (a real channel id)."""
    added = server.call("add_channel", {"user_id": USER, "channel_username": CHANNEL, "tags": ["news"]})
    assert added.status_code == 200, added.text
    assert server.call("collect_posts", {"channel_username": CHANNEL, "user_id": USER, "hours": 48}).status_code == 200
    saved = server.call("save_posts_to_db", {"posts": posts(RUSSIAN, "durov_news", 100), "channel_username": "durov_news",
                                             "user_id": USER})
    assert saved.status_code == 200, saved.text
    assert server.call("add_filter", {"user_id": USER, "kind": "exclude", "value": "реклама"}).status_code == 200
    return {"channel_id": added.json()["result"]["channel_id"]}


def web_token(env: dict) -> str:
    out = subprocess.run([gazette_bin(), "web-token", "--user", str(USER)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return re.search(r"/u/([A-Za-z0-9_-]{43})/", out.stdout).group(1)


@contextlib.contextmanager
def serve(preview: str, db_dir: str):
    """`gazette serve` on `db_dir`'s database (the stdio server and `gazette web-token` open the same one)."""
    env = gazette_env(db_dir, preview)
    log_path = pathlib.Path(db_dir) / "serve.log"
    with open(log_path, "wb") as log:
        port = free_port()
        proc = subprocess.Popen([gazette_bin(), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        server = Server(f"http://127.0.0.1:{port}", proc, log_path, env)
        try:
            wait_until(lambda: server.alive() is None, what="gazette serve /health/live")
            yield server
        finally:
            server.http.close()
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_no_request_kills_a_process():
    calls = Calls()
    by_phase = {}
    with tempfile.TemporaryDirectory() as db_dir, fake_telegram() as preview, serve(preview, db_dir) as server:
        token = web_token(server.env)
        for phase in ("empty", "populated"):
            before = sum(calls.counts.values())
            extra = populate(server) if phase == "populated" else {}
            run_mcp_http(server, calls, extra)
            run_mcp_stdio(server, calls, extra)
            run_rest(server, calls, extra)
            run_web(server, calls, token)
            by_phase[phase] = sum(calls.counts.values()) - before
    total = sum(calls.counts.values())
    report = {"calls": total, "by_surface": dict(calls.counts), "by_phase": by_phase, "binary": gazette_bin(),
              "at": dt.datetime.now(dt.timezone.utc).isoformat()}
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "no-request-kills.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report))
    assert total > 1000, report
