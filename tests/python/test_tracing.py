"""Tracing: with OTEL_EXPORTER_OTLP_ENDPOINT set, `gazette run` exports spans over OTLP/HTTP.

A small OTLP/HTTP receiver on 127.0.0.1 collects the protobuf bodies POSTed to /v1/traces; span names and
attribute strings are plain UTF-8 inside the protobuf, so the test looks for them in the raw bytes.
"""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import tempfile
import threading
import urllib.request

from mcp_support import CHANNEL, fake_telegram, free_port, gazette_bin, gazette_env, wait_until


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


def test_spans_arrive_for_a_fetch_and_a_tool_call():
    handler = type("Receiver", (_Receiver,), {"bodies": [], "paths": [], "lock": threading.Lock()})
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{receiver.server_address[1]}"
    port = free_port()
    with fake_telegram() as preview, tempfile.TemporaryDirectory() as db:
        env = gazette_env(db, preview, OTEL_EXPORTER_OTLP_ENDPOINT=endpoint, GAZETTE_PORT=str(port))
        subprocess.run([gazette_bin(), "channels", "add", "--user", "5", CHANNEL], env=env, check=True,
                       capture_output=True, timeout=60)
        proc = subprocess.Popen([gazette_bin(), "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
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

            def exported(*needles: bytes) -> bool:
                with handler.lock:
                    data = b"".join(handler.bodies)
                return all(n in data for n in needles)
            wait_until(lambda: exported(b"fetch.channel", CHANNEL.encode(), b"mcp.tool_call", b"list_channels"),
                       timeout=60, what="spans of the fetch and of the tool call at the OTLP receiver")
            with handler.lock:
                assert all(p == "/v1/traces" for p in handler.paths), handler.paths
                assert b"gazette" in b"".join(handler.bodies)  # service.name resource attribute
        finally:
            proc.terminate()
            try:
                _, err = proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
            receiver.shutdown()
        assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
