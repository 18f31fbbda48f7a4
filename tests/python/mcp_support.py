"""Helpers for the MCP protocol tests: start the real `gazette` binary and a fake t.me on 127.0.0.1.

The fake t.me is the only fake: it serves the real preview fixtures from Tests/Fixtures with the dates moved to
yesterday, so live fetches find posts inside a 48-hour window.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import os
import pathlib
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import requirement

REPO = pathlib.Path(__file__).resolve().parents[2]
# The fixtures kept in the repository (Tests/Fixtures, each folder with its README and licence); nothing outside
# the clone is read.
FIXTURES = REPO / "Tests" / "Fixtures"
PREVIEW = FIXTURES / "telegram-preview" / "full.html"
CHANNEL = "topwar_official"  # the channel of full.html: 12 posts, title "Военное обозрение"


def gazette_bin() -> str:
    return os.environ.get("GAZETTE_BIN", str(REPO / ".build" / "debug" / "gazette"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as e:  # noqa: BLE001 - polling: remember the last failure for the message
            last = e
        time.sleep(0.05)
    raise TimeoutError(f"{what} not reached within {timeout}s (last error: {last})")


# Paths of requests the fake t.me received for a slow channel (a test polls it to know a call is waiting).
SLOW_REQUESTS: list[str] = []


class _FakeTelegram(http.server.BaseHTTPRequestHandler):
    page_recent: bytes = b""
    page_old: bytes = b""
    channels: frozenset = frozenset({CHANNEL})
    slow: frozenset = frozenset()

    def do_GET(self):  # noqa: N802
        path, _, query = self.path.partition("?")
        if path[3:] in self.slow:
            SLOW_REQUESTS.append(path)
            time.sleep(3)  # a slow source: long enough for a client to cancel the call that waits for it
        if path.startswith("/s/") and path[3:] in self.channels:
            body = self.page_old if "before=" in query else self.page_recent
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def fake_telegram(extra_channels: tuple[str, ...] = (), slow_channels: tuple[str, ...] = ()):
    """Yields the base URL of a fake t.me serving the preview fixture (dates moved to yesterday) for CHANNEL and
    `extra_channels`; every other name is 404 (no such channel)."""
    original = PREVIEW.read_text(encoding="utf-8")
    yesterday = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    handler = type("Handler", (_FakeTelegram,), {
        "page_recent": original.replace("2023-02-28T", f"{yesterday}T").encode(),
        "page_old": original.encode(),
        "channels": frozenset({CHANNEL, *extra_channels, *slow_channels}),
        "slow": frozenset(slow_channels),
    })
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def gazette_env(db_dir: str, preview_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_", "TELEGRAM_", "LLM_"))}
    env.update({
        "GAZETTE_DATABASE_URL": f"sqlite:{db_dir}/gazette.sqlite",
        "GAZETTE_TELEGRAM_PREVIEW_BASE_URL": preview_url,
        "GAZETTE_LOG_LEVEL": "warning",
    })
    env.update(extra)
    return env


@contextlib.contextmanager
def gazette_serve(preview_url: str, token: str | None = None, env: dict | None = None):
    """Runs `gazette serve` on a free port with a fresh SQLite database; yields (base_url, process)."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        extra = {"GAZETTE_API_TOKEN": token} if token else {}
        extra.update(env or {})
        log = open(os.path.join(tmp, "serve.log"), "wb")
        proc = subprocess.Popen([gazette_bin(), "serve", "--port", str(port)], env=gazette_env(tmp, preview_url, **extra),
                                stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            def live():
                if proc.poll() is not None:
                    raise RuntimeError(f"gazette serve exited with {proc.returncode}: {pathlib.Path(log.name).read_text()}")
                with urllib.request.urlopen(base + "/health/live", timeout=2) as r:
                    return r.status == 200
            wait_until(live, what="gazette serve /health/live")
            yield base, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def structured(result) -> dict:
    """The JSON object a tool returned (structured content, or the text content as JSON)."""
    import json
    data = getattr(result, "structured_content", None)
    if data is None:
        data = getattr(result, "structuredContent", None)
    if data is None:
        data = json.loads(result.content[0].text)
    return data


def field(obj, camel: str):
    """A model field by its protocol name: mcp 1.x keeps camelCase attributes, 2.x snake_case."""
    import re
    snake = re.sub(r"([A-Z])", r"_\1", camel).lower()
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel, None)


def embedded_pdf(result) -> bytes | None:
    """The PDF a tool result carries as an embedded resource (a blob of type application/pdf), if any."""
    import base64
    for content in result.content:
        if content.type == "resource" and field(content.resource, "mimeType") == "application/pdf":
            return base64.b64decode(content.resource.blob, validate=True)
    return None


def as_rest(result) -> dict:
    """The tool's JSON as REST `/call` gives it: over MCP a PDF travels as an embedded resource, not in the JSON, so
    it is put back as `pdf_bytes` (base64) for checks written against the REST shape."""
    import base64
    data = structured(result)
    pdf = embedded_pdf(result)
    if pdf is not None:
        assert "pdf_bytes" not in data, "over MCP the PDF must not also be base64 inside the JSON"
        data = {**data, "pdf_bytes": base64.b64encode(pdf).decode()}
    return data


def is_error(result) -> bool:
    value = getattr(result, "is_error", None)
    if value is None:
        value = getattr(result, "isError", None)
    return bool(value)


def input_schema(tool) -> dict:
    value = getattr(tool, "input_schema", None)
    return value if value is not None else tool.inputSchema


def postgres_server_url() -> str | None:
    """The test PostgreSQL server `make test` starts (scripts/with-postgres.sh). Under `make test`
    (GAZETTE_TEST_REQUIRE_POSTGRES=1) a missing server is a failure, never a skip (`requirement`)."""
    url = os.environ.get("GAZETTE_TEST_POSTGRES_URL")
    if url:
        return url
    if requirement.required("POSTGRES"):
        raise RuntimeError("GAZETTE_TEST_POSTGRES_URL is not set although GAZETTE_TEST_REQUIRE_POSTGRES=1")
    return None


def create_postgres_database(server_url: str, prefix: str = "gazette_t") -> str:
    """A fresh database on the test server (psql); returns its URL."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", server_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True, timeout=30)
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
