"""The summary cache (issue 28), end to end: `gazette serve` (the web reader's page and PDF) and `gazette bot` (its
`/digest`, through a fake Bot API) as two processes on one SQLite store, both summarizing with an OpenAI-compatible fake
LLM on loopback that counts its calls.

The first page view makes one LLM call per channel section; a second page view, the PDF and the bot's `/digest` for the
same reader make none (the bot is another process: the cache is the database's). One new post makes exactly the call of
the section it joins.
"""
from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mcp_support import FIXTURES, free_port, gazette_bin, gazette_env, wait_until
from test_monitoring_fakes import FakeBotAPI

BOT_TOKEN = "7000000002:AAsummaryCacheTestBotToken_ddddddddddd"
USER = FakeBotAPI.USER["id"]

# Two events reported by all three channels (the two top stories, corroborated three times over), and one post of each
# channel's own: the channel sections the LLM summarizes.
EVENTS = [
    "The city council approved a budget of 42 million for public libraries on Monday.",
    "A magnitude 6.1 earthquake struck off the northern coast, officials said no damage was reported.",
]
OWN = {
    "alpha_news": "A rare comet will be visible tonight; astronomers recommend binoculars and a dark sky.",
    "bravo_news": "The national football team won the qualifier three to one in the capital.",
    "charlie_news": "Heavy snow closed the mountain pass for trucks until Friday, road crews said.",
}
NEW_POST = "Local bakers started a festival of rye bread with a parade through the old town square."


class CountingLLM:
    """OpenAI-compatible `POST /v1/chat/completions` that answers two cited points and counts the requests."""

    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                ids = re.findall(r"^\[(\d+)\]", body["messages"][1]["content"], re.M)
                with outer.lock:
                    outer.calls += 1
                answer = "\n".join(f"- Point about post {i} [{i}]" for i in ids[:2])
                payload = json.dumps({"id": "x", "object": "chat.completion", "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": answer}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self) -> int:
        with self.lock:
            return self.calls

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([gazette_bin(), *args], env=env, capture_output=True, text=True, timeout=120, check=True)


def add_post(db: str, channel: str, message_id: int, text: str, hours_ago: float, views: int):
    with contextlib.closing(sqlite3.connect(db)) as conn:
        (channel_id,) = conn.execute("SELECT id FROM channels WHERE key = ?", (channel,)).fetchone()
        now = time.time()
        conn.execute("INSERT INTO posts (channel_id, message_id, text, date, views, url, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (channel_id, message_id, text, now - hours_ago * 3600, views, f"https://t.me/{channel}/{message_id}", now))
        conn.commit()


@contextlib.contextmanager
def process(env: dict, *args: str, log_path: str):
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([gazette_bin(), *args], env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def metric(text: str, name: str) -> float:
    m = re.search(r"^" + re.escape(name) + r" ([0-9.e+]+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def test_a_repeated_view_the_pdf_and_the_bot_make_no_llm_call_and_a_new_post_only_its_sections():
    llm = CountingLLM()
    bot = FakeBotAPI(BOT_TOKEN, FIXTURES / "botapi").start()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/gazette.sqlite"
        port, bot_metrics = free_port(), free_port()
        env = gazette_env(tmp, "http://127.0.0.1:9", GAZETTE_SUMMARIZER="llm", LLM_URL=llm.url, LLM_MODEL="fake-model",
                          GAZETTE_DIGEST_TOP_STORIES="2", GAZETTE_PORT=str(port), TELEGRAM_BOT_TOKEN=BOT_TOKEN,
                          GAZETTE_TELEGRAM_API_BASE_URL=bot.url)
        cli(env, "channels", "add", "--user", str(USER), *OWN)
        message = 1
        for i, channel in enumerate(OWN):
            for e, event in enumerate(EVENTS):
                add_post(db, channel, message, event, hours_ago=3 + e + i * 0.1, views=5000)
                message += 1
            add_post(db, channel, message, OWN[channel], hours_ago=5, views=100)
            message += 1
        path = cli(env, "web-token", "--user", str(USER)).stdout.strip()
        page_url, pdf_url = f"http://127.0.0.1:{port}{path}digest?hours=24", f"http://127.0.0.1:{port}{path}digest.pdf?hours=24"

        with process(env, "serve", log_path=f"{tmp}/serve.log"), \
                process({**env, "GAZETTE_METRICS_PORT": str(bot_metrics)}, "bot", log_path=f"{tmp}/bot.log"):
            wait_until(lambda: get(f"http://127.0.0.1:{port}/health/live")[0] == 200, what="gazette serve is live")

            status, page = get(page_url)
            assert status == 200, page[-2000:]
            first = llm.count()
            assert first == len(OWN), f"one call per channel section, got {first}"
            text = page.decode()
            assert "Point about post" in text, "the page shows the LLM's summaries"

            status, _ = get(page_url)
            assert status == 200 and llm.count() == first, "a second page view made LLM calls"
            status, pdf = get(pdf_url)
            assert status == 200 and pdf.startswith(b"%PDF") and llm.count() == first, "the PDF made LLM calls"

            bot.push_command("/digest")
            assert bot.wait_replies(USER, 1, timeout=120), (bot.replies, open(f"{tmp}/bot.log", errors="replace").read()[-3000:])
            assert ("sendDocument", USER) in bot.replies, bot.replies
            assert llm.count() == first, "the bot's /digest (another process) made LLM calls"

            # One new post of one channel, about nothing the others report: only that channel's section is summarized.
            add_post(db, "bravo_news", 100, NEW_POST, hours_ago=1, views=50)
            status, page = get(page_url)
            assert status == 200 and "festival of rye bread" in page.decode()
            assert llm.count() == first + 1, f"one new post made {llm.count() - first} calls, expected 1"

            status, metrics = get(f"http://127.0.0.1:{port}/metrics")
            metrics = metrics.decode()
            assert metric(metrics, 'summary_cache_hits_total{summarizer="llm"}') >= 2 * len(OWN) + len(OWN) - 1, metrics
            assert metric(metrics, 'summary_cache_misses_total{summarizer="llm"}') == len(OWN) + 1
            assert metric(metrics, "summary_cache_llm_calls_saved_total") >= 2 * len(OWN)
            assert metric(metrics, "summary_cache_entries") >= len(OWN) + 1
        print(f"LLM calls: first view {first}; second view, PDF and the bot's /digest 0; after one new post 1")
    llm.stop()
    bot.stop()
