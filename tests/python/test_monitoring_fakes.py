"""Loopback fakes for the end-to-end monitoring test (imported by test_monitoring_e2e.py).

- FakeTelegramPreview serves the real t.me preview fixtures (Tests/Fixtures/telegram-preview) with
  their dates moved to the last few hours, so the worker's time window keeps the posts.
- FakeBotAPI answers Bot API methods for one token and hands out queued private-chat updates.
- FakeLLM answers OpenAI-compatible chat completions.

Everything binds 127.0.0.1 on a free port. No test logic lives here; the module has no tests.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1:0 running in a daemon thread."""

    def __init__(self, handler_factory):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_factory)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _quiet_handler(base):
    class Handler(base):
        def log_message(self, *args):  # keep pytest output readable
            pass
    return Handler


def shift_preview_dates(html: str, newest: dt.datetime) -> str:
    """Moves every `datetime="…+00:00"` so that the newest one equals `newest` (UTC)."""
    stamps = re.findall(r'datetime="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00)"', html)
    if not stamps:
        raise ValueError("fixture has no datetime attributes")
    parsed = [dt.datetime.fromisoformat(s) for s in stamps]
    delta = newest - max(parsed)

    def repl(m):
        moved = dt.datetime.fromisoformat(m.group(1)) + delta
        return f'datetime="{moved.strftime("%Y-%m-%dT%H:%M:%S+00:00")}"'
    return re.sub(r'datetime="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00)"', repl, html)


class FakeTelegramPreview(_Server):
    """`GET /s/<channel>` → the fixture page of that channel, 404 for any other channel."""

    def __init__(self, fixtures: Path):
        page = (fixtures / "full.html").read_text(encoding="utf-8")
        newest = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(minutes=30)
        self.pages = {
            "topwar_official": shift_preview_dates(page, newest).encode("utf-8"),
            # A page that is HTML but has none of the preview markup: what a Telegram redesign looks like.
            "gazette_layout_probe": b"<!DOCTYPE html><html><head><title>Telegram</title></head>"
                                    b"<body><main class=\"new-design\"><p>Hello</p></main></body></html>",
        }
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                parts = [p for p in urlsplit(self.path).path.split("/") if p]
                name = parts[1] if len(parts) >= 2 and parts[0] == "s" else (parts[0] if parts else "")
                body = outer.pages.get(name)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(_quiet_handler(Handler))


class FakeBotAPI(_Server):
    """Bot API for one token. `push_command(text)` queues a private message from the fixture user;
    `replies` records every send*/edit* call as (method, chat_id)."""

    USER = {"id": 123456789, "is_bot": False, "first_name": "Иван", "last_name": "Петров",
            "username": "ivan_petrov", "language_code": "ru"}
    CHAT = {"id": 123456789, "first_name": "Иван", "last_name": "Петров", "username": "ivan_petrov",
            "type": "private"}

    def __init__(self, token: str, fixtures: Path):
        self.token = token
        self.get_me = json.loads((fixtures / "getMe_ok.json").read_text(encoding="utf-8"))
        self.updates: list[dict] = []
        self.replies: list[tuple[str, int | None]] = []
        self.methods: list[str] = []
        self.cond = threading.Condition()
        self.next_update_id = 900000001
        self.next_message_id = 100
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _params(self) -> dict:
                query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if "application/json" in ctype and raw:
                    query.update(json.loads(raw))
                elif "application/x-www-form-urlencoded" in ctype and raw:
                    query.update({k: v[-1] for k, v in parse_qs(raw.decode()).items()})
                elif "multipart/form-data" in ctype and raw:
                    m = re.search(rb'name="chat_id"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n(-?\d+)', raw)
                    if m:
                        query["chat_id"] = m.group(1).decode()
                return query

            def _answer(self, status: int, payload: dict):
                body = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot was stopped during a long poll

            def _handle(self):
                path = urlsplit(self.path).path
                m = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
                if not m or m.group(1) != outer.token:
                    self._answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                method, params = m.group(2), self._params()
                outer.methods.append(method)
                if method == "getMe":
                    self._answer(200, outer.get_me)
                elif method == "getUpdates":
                    self._answer(200, {"ok": True, "result": outer._take_updates(params)})
                elif method.startswith(("send", "edit")) and method != "sendChatAction":
                    chat = params.get("chat_id")
                    with outer.cond:
                        outer.replies.append((method, int(chat) if chat is not None else None))
                        outer.next_message_id += 1
                        mid = outer.next_message_id
                        outer.cond.notify_all()
                    self._answer(200, {"ok": True, "result": {
                        "message_id": mid, "date": int(time.time()), "chat": outer.CHAT,
                        "from": outer.get_me["result"], "text": "ok"}})
                else:  # sendChatAction, answerCallbackQuery, setMyCommands, deleteWebhook, …
                    self._answer(200, {"ok": True, "result": True})

            do_GET = _handle
            do_POST = _handle

        super().__init__(_quiet_handler(Handler))

    def push_command(self, text: str):
        with self.cond:
            self.next_message_id += 1
            self.updates.append({"update_id": self.next_update_id, "message": {
                "message_id": self.next_message_id, "from": self.USER, "chat": self.CHAT,
                "date": int(time.time()), "text": text,
                "entities": [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]}})
            self.next_update_id += 1
            self.cond.notify_all()

    def _take_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        # Long polling: hold the request up to 1 s (less than the client's timeout) for new updates.
        wait = min(float(params.get("timeout") or 0), 1.0)
        with self.cond:
            self.cond.wait_for(lambda: any(u["update_id"] >= offset for u in self.updates), timeout=wait)
            return [u for u in self.updates if u["update_id"] >= offset]

    def wait_replies(self, chat_id: int, count: int, timeout: float) -> bool:
        with self.cond:
            return self.cond.wait_for(
                lambda: sum(1 for m, c in self.replies if c == chat_id and m in ("sendDocument", "sendMessage")) >= count,
                timeout=timeout)


class FakeLLM(_Server):
    """OpenAI-compatible `POST …/chat/completions` answering a fixed short summary."""

    def __init__(self):
        self.calls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if not urlsplit(self.path).path.endswith("/chat/completions"):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                outer.calls += 1
                body = json.dumps({
                    "id": f"chatcmpl-{outer.calls}", "object": "chat.completion", "created": int(time.time()),
                    "model": "fake-model",
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": "Краткое содержание: новости дня."}}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(_quiet_handler(Handler))


class FakeWebhook(_Server):
    """Records the JSON bodies Alertmanager posts to its webhook receiver."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with outer.cond:
                    outer.bodies.append(body)
                    outer.cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(_quiet_handler(Handler))

    def wait_alert(self, name: str, timeout: float) -> dict | None:
        def found():
            for body in self.bodies:
                for alert in body.get("alerts", []):
                    if alert.get("labels", {}).get("alertname") == name and alert.get("status") == "firing":
                        return alert
            return None
        with self.cond:
            self.cond.wait_for(lambda: found() is not None, timeout=timeout)
            return found()
