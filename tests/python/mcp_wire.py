"""MCP on the wire, without a client library in between: JSON-RPC messages posted to `/mcp` (answers as JSON or as an
SSE stream) and written to `gazette mcp`'s standard input. The crash-resistance suite needs to send what no client
library would (bad ids, broken JSON, batches) and to notice a dead process at once; the schema suite needs every byte
the server sent. Every message received is kept in `received`, in order."""
from __future__ import annotations

import json
import os
import select
import subprocess
import time

import httpx

CLIENT_INFO = {"name": "gazette-wire-test", "version": "1"}


def sse_messages(text: str) -> list:
    """The JSON messages of an SSE body (events without data, such as the priming event, carry none)."""
    out = []
    for event in text.replace("\r\n", "\n").split("\n\n"):
        data = "\n".join(line[5:].lstrip(" ") for line in event.split("\n") if line.startswith("data:"))
        if data.strip():
            out.append(json.loads(data))
    return out


class HttpReply:
    """One HTTP answer of `/mcp`: its status, content type and the JSON-RPC messages it carried."""

    def __init__(self, response: httpx.Response):
        self.status = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.headers = response.headers
        body = response.text
        if "text/event-stream" in self.content_type:
            self.messages = sse_messages(body)
        elif body.strip():
            parsed = json.loads(body)
            self.messages = parsed if isinstance(parsed, list) else [parsed]
        else:
            self.messages = []

    def response(self, request_id):
        """The response (result or error) to `request_id` among the messages, or None."""
        for m in self.messages:
            if isinstance(m, dict) and ("result" in m or "error" in m) and m.get("id") == request_id:
                return m
        return None


class HttpSession:
    """A Streamable HTTP session opened with `initialize` at `version`."""

    def __init__(self, base: str, version: str, token: str | None = None, timeout: float = 120):
        self.client = httpx.Client(base_url=base, timeout=timeout)
        self.version = version
        self.headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.received: list[dict] = []
        self.next_id = 1
        self.session_id = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def post(self, body, headers: dict | None = None) -> HttpReply:
        """Posts `body` (bytes as they are, anything else as JSON) with the session's headers (or `headers`)."""
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        reply = HttpReply(self.client.post("/mcp", content=content, headers=headers if headers is not None else self.headers))
        self.received.extend(reply.messages)
        return reply

    def initialize(self) -> dict:
        reply = self.post({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                           "params": {"protocolVersion": self.version, "capabilities": {}, "clientInfo": CLIENT_INFO}})
        assert reply.status == 200, (reply.status, reply.messages)
        self.session_id = reply.headers["mcp-session-id"]
        self.headers = {**self.headers, "Mcp-Session-Id": self.session_id, "MCP-Protocol-Version": self.version}
        init = reply.response(0)
        assert init and "result" in init, reply.messages
        assert self.post({"jsonrpc": "2.0", "method": "notifications/initialized"}).status == 202
        return init["result"]

    def request(self, method: str, params: dict | None = None) -> tuple[dict | None, HttpReply]:
        """Sends one request; returns (its response, the whole reply)."""
        request_id = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        reply = self.post(message)
        return reply.response(request_id), reply

    def close(self) -> int:
        return self.client.delete("/mcp", headers=self.headers).status_code


class StdioSession:
    """`gazette mcp` as a child process: one JSON-RPC message per line each way."""

    def __init__(self, argv: list[str], env: dict, version: str = "2025-06-18"):
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.buffer = b""
        self.version = version
        self.received: list[dict] = []
        self.next_id = 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def write(self, raw: bytes):
        self.proc.stdin.write(raw if raw.endswith(b"\n") else raw + b"\n")
        self.proc.stdin.flush()

    def read_message(self, timeout: float) -> dict | list | None:
        """The next line from the server as JSON, or None when nothing came within `timeout` or the process ended."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.5))
            if ready:
                chunk = self.proc.stdout.read()
                if chunk:
                    self.buffer += chunk
                    continue
                if chunk == b"":  # end of file: the process closed its output
                    return None
            elif self.proc.poll() is not None:
                return None
        line, self.buffer = self.buffer.split(b"\n", 1)
        message = json.loads(line)
        self.received.append(message)
        return message

    def send(self, message, timeout: float = 120, expect_id=...):
        """Writes `message` (bytes as they are, anything else as JSON) and reads until the response to `expect_id`
        (default: the message's own id) arrives; returns it, or None on timeout or a dead process. Notifications read
        on the way are kept in `received`."""
        raw = message if isinstance(message, bytes) else json.dumps(message).encode()
        if expect_id is ...:
            expect_id = message.get("id") if isinstance(message, dict) else None
        self.write(raw)
        deadline = time.monotonic() + timeout
        while True:
            got = self.read_message(max(0.0, deadline - time.monotonic()))
            if got is None:
                return None
            if isinstance(got, list):
                if expect_id is None:  # a batch answer is what a batch (which has no id of its own) waits for
                    return got
                continue
            if "method" not in got and got.get("id") == expect_id:
                return got

    def request(self, method: str, params: dict | None = None, timeout: float = 120):
        request_id = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        return self.send(message, timeout=timeout)

    def initialize(self) -> dict:
        reply = self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                           "params": {"protocolVersion": self.version, "capabilities": {}, "clientInfo": CLIENT_INFO}})
        assert reply and "result" in reply, reply
        self.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode())
        return reply["result"]

    def ping(self, timeout: float = 30) -> bool:
        reply = self.request("ping", timeout=timeout)
        return bool(reply) and reply.get("result") == {}
