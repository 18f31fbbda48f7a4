"""Tracing: with OTEL_EXPORTER_OTLP_ENDPOINT set, `gazette run` exports spans over OTLP/HTTP.

A small OTLP/HTTP receiver on 127.0.0.1 collects the protobuf bodies POSTed to /v1/traces, and a minimal protobuf
reader turns them into spans (trace id, span id, parent, name, string attributes), so the test checks real
relations: the outgoing page request is a child of the channel's fetch span, the tool call a child of the
incoming request's span, the log line written during a fetch carries that fetch's trace and span ids, and the bot
token appears in no span.
"""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import tempfile
import threading
import urllib.request

from mcp_support import CHANNEL, FIXTURES, fake_telegram, free_port, gazette_bin, gazette_env, wait_until
from test_monitoring_fakes import FakeBotAPI

BOT_TOKEN = "7000000001:AAtracingTestSecretBotToken_bbbbbbbbb"
MISSING = "nosuchchannel1"


class _Receiver(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []
    paths: list[str] = []
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.lock:
            self.bodies.append(body)
            self.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


# --- a minimal protobuf reader for OTLP's ExportTraceServiceRequest ---

def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def _fields(data: bytes):
    """(field number, wire type, value) of one message: bytes for length-delimited fields, ints otherwise."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 2:
            length, i = _varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, wire, value


def spans(body: bytes) -> list[dict]:
    out = []
    for n, _, resource_spans in _fields(body):
        if n != 1:
            continue
        for n2, _, scope_spans in _fields(resource_spans):
            if n2 != 2:
                continue
            for n3, _, span in _fields(scope_spans):
                if n3 != 2:
                    continue
                s = {"attributes": {}, "parent": b""}
                for f, _, v in _fields(span):
                    if f == 1:
                        s["trace"] = v
                    elif f == 2:
                        s["id"] = v
                    elif f == 4:
                        s["parent"] = v
                    elif f == 5:
                        s["name"] = v.decode()
                    elif f == 9:
                        key = value = None
                        for kf, _, kv in _fields(v):
                            if kf == 1:
                                key = kv.decode()
                            elif kf == 2:
                                for af, wire, av in _fields(kv):
                                    if af == 1 and wire == 2:
                                        value = av.decode(errors="replace")
                                    elif af == 3 and wire == 0:
                                        value = av
                        s["attributes"][key] = value
                out.append(s)
    return out


def test_spans_nest_logs_carry_their_ids_and_no_span_holds_the_bot_token():
    handler = type("Receiver", (_Receiver,), {"bodies": [], "paths": [], "lock": threading.Lock()})
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{receiver.server_address[1]}"
    port = free_port()
    bot = FakeBotAPI(BOT_TOKEN, FIXTURES / "botapi").start()
    with fake_telegram() as preview, tempfile.TemporaryDirectory() as db, tempfile.TemporaryFile() as log:
        env = gazette_env(db, preview, OTEL_EXPORTER_OTLP_ENDPOINT=endpoint, GAZETTE_PORT=str(port),
                          TELEGRAM_BOT_TOKEN=BOT_TOKEN, GAZETTE_TELEGRAM_API_BASE_URL=bot.url,
                          GAZETTE_LOG_FORMAT="json", GAZETTE_LOG_LEVEL="info")
        for channel in (CHANNEL, MISSING):
            subprocess.run([gazette_bin(), "channels", "add", "--user", "5", channel], env=env, check=True,
                           capture_output=True, timeout=60)
        web_path = subprocess.run([gazette_bin(), "web-token", "--user", "5"], env=env, check=True, capture_output=True,
                                  text=True, timeout=60).stdout.strip()
        web_token = web_path[3:-1]
        proc = subprocess.Popen([gazette_bin(), "run"], env=env, stdout=subprocess.DEVNULL, stderr=log,
                                stdin=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"

            def call_list_channels():
                request = urllib.request.Request(base + "/call", method="POST", headers={"Content-Type": "application/json"},
                                                 data=json.dumps({"tool_name": "list_channels",
                                                                  "arguments": {"user_id": 5}}).encode())
                with urllib.request.urlopen(request, timeout=5) as response:
                    return response.status == 200
            wait_until(call_list_channels, timeout=60, what="gazette run to answer /call")
            with urllib.request.urlopen(base + web_path, timeout=30) as response:
                assert response.status == 200

            def exported() -> list[dict]:
                with handler.lock:
                    bodies = list(handler.bodies)
                return [s for body in bodies for s in spans(body)]

            def names() -> set[str]:
                return {s["name"] for s in exported()}
            wait_until(lambda: {"fetch.channel", "mcp.tool_call", "bot.api", "/u/{token}"} <= names(), timeout=60,
                       what="spans of the fetch, the tool call and the bot at the OTLP receiver")
            all_spans = exported()
            by_id = {s["id"]: s for s in all_spans}

            # The outgoing page request (AsyncHTTPClient, bootstrapped before the client was made) is a child of
            # the channel's fetch span.
            fetches = [s for s in all_spans if s["name"] == "fetch.channel" and s["attributes"].get("gazette.channel") == CHANNEL]
            assert fetches, [s["name"] for s in all_spans]
            requests = [s for s in all_spans if s["attributes"].get("url.path") == f"/s/{CHANNEL}"]
            assert requests, "no span for the outgoing t.me request"
            assert any(by_id.get(r["parent"]) in fetches for r in requests), "the page request is not under fetch.channel"

            # The incoming request has its span (the server middleware), with the tool call under it.
            calls = [s for s in all_spans if s["name"] == "mcp.tool_call" and s["attributes"].get("gazette.tool") == "list_channels"]
            assert calls
            parent = by_id.get(calls[0]["parent"])
            assert parent is not None and parent["name"] == "/call", parent

            # Bot API calls are traced without their URL: the token is in the path.
            with handler.lock:
                raw = b"".join(handler.bodies)
            # The web reader's request is traced with its path redacted: the web token is in no span.
            assert web_token.encode() not in raw
            web = [s for s in all_spans if s["name"] == "/u/{token}"]
            assert web and web[0]["attributes"].get("url.path") == "/u/{token}/", web
            assert BOT_TOKEN.encode() not in raw and BOT_TOKEN.split(":")[1].encode() not in raw
            bot_spans = [s for s in all_spans if s["name"] == "bot.api"]
            assert {s["attributes"].get("gazette.bot.method") for s in bot_spans} <= {"getMe", "getUpdates", "sendMessage"}, bot_spans
            assert all(s["attributes"].get("gazette.bot.method") for s in bot_spans)
            assert not any("url.full" in s["attributes"] or "url.path" in s["attributes"] for s in bot_spans)

            # The log line of the failed fetch carries the ids of the span it was written in.
            log.seek(0)
            lines = [json.loads(line) for line in log.read().decode().splitlines() if line.startswith("{")]
            failed = [l for l in lines if l.get("msg") == "channel fetch failed" and l.get("channel") == MISSING]
            assert failed, lines[-5:]
            assert "trace_id" in failed[0] and "span_id" in failed[0], failed[0]
            logged = by_id.get(bytes.fromhex(failed[0]["span_id"]))
            assert logged is not None and logged["name"] == "fetch.channel", logged
            assert logged["trace"] == bytes.fromhex(failed[0]["trace_id"])
            assert logged["attributes"].get("gazette.channel") == MISSING

            with handler.lock:
                assert all(p == "/v1/traces" for p in handler.paths), handler.paths
            assert b"gazette" in raw  # service.name resource attribute
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            receiver.shutdown()
            bot.stop()
            log.seek(0)
            tail = log.read().decode(errors="replace")[-2000:]
        assert proc.returncode == 0, tail
        assert BOT_TOKEN not in tail
