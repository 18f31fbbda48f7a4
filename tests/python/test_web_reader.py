"""The web reader and the Atom feed (issue 18), end to end: the real `gazette` binary on a SQLite store filled by a real
fetch from a fake t.me, the daily digest delivered through a fake Bot API (which puts it into the digest archive), the
pages loaded by headless Chromium from Debian, and the feed read by `feedparser`.

Chromium talks only to 127.0.0.1: every other host name resolves to nothing (`--host-resolver-rules`), background
services are off, and the pages' Content-Security-Policy allows pictures from the page's own server only.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import html.parser
import http.server
import pathlib
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import feedparser
import pytest

import requirement
from mcp_support import CHANNEL, FIXTURES, PREVIEW, REPO, free_port, gazette_bin, gazette_env, wait_until
from test_monitoring_fakes import FakeBotAPI

BOT_TOKEN = "7000000001:AAwebReaderTestBotToken_cccccccccccccc"
USER = FakeBotAPI.USER["id"]
ARTEFACTS = REPO / ".build" / "artefacts"


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    requirement.require("BROWSER", path is not None, "chromium is not installed (scripts/install-deps.sh test installs it)")
    return path


def browser(tmp: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium as root (`--no-sandbox`), allowed to resolve nothing but 127.0.0.1."""
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
           "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
           "--disable-domain-reliability", "--no-pings", "--no-proxy-server",
           "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
           f"--user-data-dir={tmp / 'chromium-profile'}", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120, text=True)


class _Preview(http.server.BaseHTTPRequestHandler):
    """t.me/s/<channel> with the fixture's twelve posts moved into the last hours (a 24-hour digest has them all); an
    older page (`?before=`) is the fixture as it is, years old, so paging back stops there."""
    page: bytes = b""
    old: bytes = b""

    def do_GET(self):  # noqa: N802
        path, _, query = self.path.partition("?")
        body = (self.old if "before=" in query else self.page) if path == f"/s/{CHANNEL}" else None
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


class _CDN(http.server.BaseHTTPRequestHandler):
    """The pictures' CDN on loopback: every `/file/…` is the fixture photo. Records each request's User-Agent, so the
    test can tell gazette's fetches from a browser's."""
    agents: list = []
    photo: bytes = b""

    def do_GET(self):  # noqa: N802
        self.agents.append(self.headers.get("User-Agent", ""))
        ok = self.path.startswith("/file/")
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(self.photo) if ok else 0))
        self.end_headers()
        if ok:
            self.wfile.write(self.photo)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def fake_cdn():
    handler = type("CDN", (_CDN,), {"agents": [], "photo": (FIXTURES / "images" / "photo-1280x853.jpg").read_bytes()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.agents
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def recent_preview(cdn: str):
    # The fixture's photos (cdnN.telegram-cdn.org) come from the loopback CDN.
    text = re.sub(r"https://cdn\d+\.telegram-cdn\.org/", cdn + "/", PREVIEW.read_text(encoding="utf-8"))
    now = dt.datetime.now(dt.timezone.utc)
    counter = iter(range(1000))

    def shift(match: re.Match) -> str:
        # The fixture's order is oldest first: the first post becomes ~3 h old, each next one 10 minutes newer.
        at = now - dt.timedelta(hours=3) + dt.timedelta(minutes=10 * next(counter))
        return 'datetime="' + at.strftime("%Y-%m-%dT%H:%M:%S+00:00") + '"'

    page = re.sub(r'datetime="2023-02-28T[0-9:]+\+00:00"', shift, text)
    handler = type("Preview", (_Preview,), {"page": page.encode(), "old": text.encode()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class DOM(html.parser.HTMLParser):
    """What the test checks in the page Chromium built: headings, links, pictures and scripts."""

    def __init__(self):
        super().__init__()
        self.tags: dict[str, int] = {}
        self.links: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a.get("src") or "")

    def handle_data(self, data):
        self.text.append(data)


def brightness(png: pathlib.Path) -> float:
    """Mean grey level (0…255) of a screenshot."""
    from PIL import Image, ImageStat
    with Image.open(png) as image:
        return ImageStat.Stat(image.convert("L")).mean[0]


def cli(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([gazette_bin(), *args], env=env, capture_output=True, text=True, timeout=120, check=check)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def daily_digest_now(db: str):
    """Turns the fixture user's daily digest on at the current hour, in a zone where it is midday (never quiet hours)."""
    offset = 12 - dt.datetime.now(dt.timezone.utc).hour  # local = UTC + offset = 12:xx
    zone = "Etc/GMT" + ("-" if offset > 0 else "+") + str(abs(offset)) if offset else "UTC"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("INSERT INTO user_settings (user_id, chat_id, daily_digest, daily_hour, time_zone, format, updated_at) "
                     "VALUES (?, ?, 1, 12, ?, 'pdf', ?)", (USER, USER, zone, time.time()))
        conn.commit()


def test_web_reader_in_headless_chromium_and_the_atom_feed():
    with fake_cdn() as (cdn, cdn_agents), recent_preview(cdn) as preview, tempfile.TemporaryDirectory() as tmpdir:
        tmp = pathlib.Path(tmpdir)
        port = free_port()
        # The loopback CDN is a private address: allowed for this test only.
        env = gazette_env(tmpdir, preview, GAZETTE_PORT=str(port), TELEGRAM_BOT_TOKEN=BOT_TOKEN, GAZETTE_LOG_LEVEL="debug",
                          GAZETTE_ALLOW_PRIVATE_SOURCES="1")
        cli(env, "channels", "add", "--user", str(USER), CHANNEL)
        cli(env, "fetch")

        made = cli(env, "web-token", "--user", str(USER))
        path = made.stdout.strip()
        assert re.fullmatch(r"/u/[A-Za-z0-9_-]{43}/", path), made.stdout
        token = path[3:-1]
        assert token not in made.stderr
        again = cli(env, "web-token", "--user", str(USER), check=False)
        assert again.returncode != 0 and "--rotate" in again.stderr and again.stdout == ""

        daily_digest_now(f"{tmpdir}/gazette.sqlite")
        bot = FakeBotAPI(BOT_TOKEN, FIXTURES / "botapi").start()
        env["GAZETTE_TELEGRAM_API_BASE_URL"] = bot.url
        log_path = tmp / "run.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([gazette_bin(), "run"], env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: get(base + "/health/live")[0] == 200, what="gazette run is live")
            # The daily digest goes to Telegram once, and into the archive the feed reads.
            assert bot.wait_replies(USER, 1, timeout=90), (bot.replies, log_path.read_text(errors="replace")[-3000:])
            feed_url = f"{base}{path}feed.atom"
            wait_until(lambda: len(feedparser.parse(get(feed_url)[2]).entries) == 1, timeout=30, what="the delivered digest in the feed")

            # The digest page in a real browser: stories, channel sections and links to the posts.
            started = time.monotonic()
            page = browser(tmp, "--dump-dom", f"{base}{path}digest?hours=24")
            render_seconds = time.monotonic() - started
            assert page.returncode == 0, page.stderr[-2000:]
            dom = DOM()
            dom.feed(page.stdout)
            assert dom.tags.get("h1", 0) == 1, dom.tags
            assert dom.tags.get("h3", 0) >= 1, "no stories"
            assert dom.tags.get("h2", 0) >= 3, "contents, stories, channel sections"
            post_links = [h for h in dom.links if h.startswith(f"https://t.me/{CHANNEL}/")]
            assert len(post_links) >= 5, dom.links
            assert dom.tags.get("script", 0) == 0
            text = " ".join(dom.text)
            assert "Военное обозрение" in text
            # Pictures come only from the reader's own server (the image cache): the browser never asked the CDN.
            assert len(dom.images) >= 3, dom.images
            assert all(src.startswith(f"{path}img/") for src in dom.images), dom.images
            assert "has no image cache" not in text
            status, headers, picture = get(base + dom.images[0])
            assert status == 200 and headers["Content-Type"] == "image/jpeg" and picture.startswith(b"\xff\xd8")
            print(f"digest page: {len(page.stdout)} bytes of DOM, loaded by Chromium in {render_seconds:.2f} s; "
                  f"{dom.tags.get('h3', 0)} stories, {len(post_links)} post links, {len(dom.images)} pictures")

            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTEFACTS / "web-digest.png"
            taken = browser(tmp, f"--screenshot={shot}", "--window-size=412,2400", "--hide-scrollbars", f"{base}{path}digest?hours=24")
            assert taken.returncode == 0 and shot.stat().st_size > 10_000, taken.stderr[-2000:]
            dark = ARTEFACTS / "web-digest-dark.png"
            taken = browser(tmp, "--force-dark-mode", f"--screenshot={dark}", "--window-size=412,2400", "--hide-scrollbars",
                            f"{base}{path}digest?hours=24")
            assert taken.returncode == 0, taken.stderr[-2000:]
            # The page follows the reader's scheme: light by default, dark when the browser prefers dark.
            assert brightness(shot) > 180 > 80 > brightness(dark), (brightness(shot), brightness(dark))
            home_shot = ARTEFACTS / "web-home.png"
            browser(tmp, f"--screenshot={home_shot}", "--window-size=412,1200", f"{base}{path}")
            print(f"screenshots: {shot} {dark} {home_shot}")
            assert cdn_agents and not any("Chrome" in agent for agent in cdn_agents), cdn_agents

            # The home page lists the delivered digest and the channel.
            status, _, body = get(f"{base}{path}")
            assert status == 200
            home = DOM()
            home.feed(body.decode())
            archived = [h for h in home.links if re.fullmatch(re.escape(path) + r"digests/\d+", h)]
            assert len(archived) == 1, home.links
            assert f"https://t.me/s/{CHANNEL}" in home.links
            status, headers, pdf = get(f"{base}{archived[0]}.pdf")
            assert status == 200 and pdf.startswith(b"%PDF-")
            status, headers, pdf = get(f"{base}{path}digest.pdf?hours=24")
            assert status == 200 and pdf.startswith(b"%PDF-") and headers["Content-Type"] == "application/pdf"

            # The feed: valid Atom, one entry per delivered digest, stable ids, PDF enclosure, conditional GET.
            status, headers, raw = get(feed_url)
            feed = feedparser.parse(raw)
            assert feed.bozo == 0, feed.get("bozo_exception")
            assert feed.version == "atom10"
            assert len(feed.entries) == len([m for m, c in bot.replies if m == "sendDocument" and c == USER]) == 1
            entry = feed.entries[0]
            assert re.fullmatch(r"urn:gazette:digest:\d+", entry.id)
            assert entry.content[0].type == "text/html" and "<h1>" in entry.content[0].value
            enclosures = [link for link in entry.links if link.rel == "enclosure"]
            assert enclosures and enclosures[0].type == "application/pdf" and enclosures[0].href.endswith(".pdf")
            assert get(enclosures[0].href)[2].startswith(b"%PDF-")
            assert feedparser.parse(get(feed_url)[2]).entries[0].id == entry.id
            assert get(feed_url, {"If-None-Match": headers["ETag"]})[0] == 304
            assert get(feed_url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
            print(f"feed: {len(raw)} bytes, {len(feed.entries)} entry, ETag {headers['ETag']}")

            # A wrong token is an unknown path; the token is in no log line and no metric.
            unknown = get(f"{base}/nowhere")
            wrong = get(f"{base}/u/{'A' * 43}/digest")
            assert wrong[0] == unknown[0] == 404 and wrong[2] == unknown[2]
            metrics = get(f"{base}/metrics")[2].decode()
            assert token not in metrics
            assert 'route="/u/{token}/digest"' in metrics or "/u/{token}/digest" in metrics
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            bot.stop()
        assert token not in log_path.read_text(errors="replace")
