"""The daily digest by email (issue 18) against a real SMTP server on 127.0.0.1 (aiosmtpd): the message arrives with
the PDF attached and headers and MIME structure that Python's `email` package reads back; running the scheduler twice
sends it once; a server that refuses gets the digest on a later retry, and the failures are counted in /metrics.

Posts are written into a real SQLite database made by `gazette migrate` (the CLI has no command to add posts)."""
from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import email.utils
import io
import os
import re
import sqlite3
import subprocess
import tempfile
import time
import urllib.request

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from mcp_support import free_port, gazette_bin, wait_until

# AUTH over plain text is what the loopback test server offers; Gazette itself requires TLS off loopback.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

PASSWORD = "smtp-secret-never-in-output"
READER = "reader@example.org"
SENDER = "gazette@example.com"
POSTS = [
    "The city council approved a new budget for public transport. Bus routes will be extended to the northern suburbs.",
    "Researchers published a study on renewable energy storage. The new battery design lasts twice as long.",
    "The local football club won the regional championship. Fans celebrated in the main square until midnight.",
]


class Mailbox:
    """aiosmtpd handler: keeps every accepted message; refuses DATA (451, a temporary failure) while `refuse` > 0."""

    def __init__(self):
        self.messages = []
        self.refuse = 0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope)
        return "250 2.0.0 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer"
                      and auth_data.password == PASSWORD.encode())


@contextlib.contextmanager
def smtp_server():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), authenticator=authenticator, auth_require_tls=False,
                            auth_required=True)
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


def env(db: str, port: int, **extra) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_", "TELEGRAM_", "LLM_"))}
    base.update({"GAZETTE_DATABASE_URL": f"sqlite:{db}", "GAZETTE_SMTP_URL": f"smtp://127.0.0.1:{port}",
                 "GAZETTE_SMTP_USER": "mailer", "GAZETTE_SMTP_PASSWORD": PASSWORD, "GAZETTE_SMTP_FROM": SENDER,
                 "GAZETTE_LOG_LEVEL": "info"})
    base.update(extra)
    return base


def gazette(*args: str, environment: dict) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gazette_bin(), *args], capture_output=True, text=True, timeout=120, env=environment)


def midday_zone() -> tuple[str, dt.timezone]:
    """A fixed-offset time zone where it is now between 12:00 and 13:00. With the daily hour at 10 there, the digest is
    due for the whole test at any hour of the real day: a run that crosses an hour (or UTC midnight) stays in the same
    local day, past the daily hour and outside the quiet hours (23–8)."""
    offset = 12 - dt.datetime.now(dt.timezone.utc).hour          # -11 … +12
    # POSIX sign: Etc/GMT-3 is three hours east of UTC.
    name = "Etc/GMT" + ("" if offset == 0 else f"{-offset:+d}")
    return name, dt.timezone(dt.timedelta(hours=offset))


def seed(db: str, environment: dict) -> str:
    """A user with posts, the daily digest on (10:00 in a zone where it is now midday), email only. Returns the date
    there, which names the digest."""
    name, zone = midday_zone()
    for args in (["migrate"], ["channels", "add", "--user", "1", "@city_news"],
                 ["settings", "--user", "1", "--deliver", "email", "--email", READER, "--daily", "on",
                  "--daily-hour", "10", "--time-zone", name]):
        out = gazette(*args, environment=environment)
        assert out.returncode == 0, (args, out.stderr)
    now = time.time()
    with sqlite3.connect(db) as conn:
        (channel_id,) = conn.execute("SELECT id FROM channels WHERE key = 'city_news'").fetchone()
        for i, text in enumerate(POSTS):
            conn.execute("INSERT INTO posts (channel_id, message_id, text, date, views, url, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (channel_id, i + 1, text, now - 600 * (i + 1), 100, f"https://t.me/city_news/{i + 1}", now))
    return dt.datetime.now(zone).strftime("%Y-%m-%d")


def test_the_digest_arrives_once_with_the_pdf_and_right_headers():
    from pypdf import PdfReader
    with tempfile.TemporaryDirectory() as tmp, smtp_server() as (box, port):
        db = f"{tmp}/g.sqlite"
        environment = env(db, port)
        day = seed(db, environment)
        started = time.monotonic()
        first = gazette("deliver", "--once", environment=environment)
        elapsed = time.monotonic() - started
        assert first.returncode == 0, first.stderr
        assert "1 daily digest done" in first.stdout
        assert len(box.messages) == 1
        envelope = box.messages[0]
        assert envelope.mail_from == SENDER and envelope.rcpt_tos == [READER]

        raw = envelope.original_content
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "CRLF line endings only"
        assert all(len(line) <= 78 for line in raw.split(b"\r\n")), "no line over 78 characters"
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        sent_at = email.utils.parsedate_to_datetime(msg["Date"])
        assert abs((dt.datetime.now(dt.timezone.utc) - sent_at).total_seconds()) < 300
        assert re.fullmatch(r"<[0-9a-f-]+\.gazette@example\.com>", msg["Message-ID"]), msg["Message-ID"]
        assert msg["From"].addresses[0].addr_spec == SENDER and msg["To"].addresses[0].addr_spec == READER
        assert msg["MIME-Version"] == "1.0"
        assert day in msg["Subject"] and "1 channel, 3 posts" in msg["Subject"], msg["Subject"]

        assert msg.get_content_type() == "multipart/mixed"
        alternative, attachment = list(msg.iter_parts())
        assert alternative.get_content_type() == "multipart/alternative"
        plain, html = list(alternative.iter_parts())
        assert plain.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
        assert "renewable energy" in plain.get_content() or "battery" in plain.get_content()
        body = html.get_content()
        # The web reader's email template over the digest's markdown (not the escaped plain-text fallback).
        assert "<h1>" in body and "pre-wrap" not in body and "renewable energy" in body, body[-3000:]
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == f"digest_{day}.pdf"
        pdf = attachment.get_content()
        assert pdf.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(pdf)).pages) >= 1
        print(f"\nemail: {len(raw)} bytes with a {len(pdf)}-byte PDF; deliver --once took {elapsed:.2f} s")

        second = gazette("deliver", "--once", environment=environment)
        assert second.returncode == 0 and "0 daily digests done" in second.stdout, second.stdout + second.stderr
        assert len(box.messages) == 1, "the second run sends nothing"
        for out in (first, second):
            assert PASSWORD not in out.stdout + out.stderr


def metric(base: str, line: str) -> float | None:
    with urllib.request.urlopen(base + "/metrics", timeout=5) as r:
        for row in r.read().decode().splitlines():
            if row.startswith(line + " "):
                return float(row.split(" ")[-1])
    return None


def test_a_refusing_server_gets_the_digest_on_a_retry_and_failures_are_counted():
    with tempfile.TemporaryDirectory() as tmp, smtp_server() as (box, port):
        db = f"{tmp}/g.sqlite"
        http_port = free_port()
        environment = env(db, port, GAZETTE_DELIVERY_RETRY_BASE="1s",
                          GAZETTE_TELEGRAM_PREVIEW_BASE_URL=f"http://127.0.0.1:{free_port()}")
        seed(db, environment)
        box.refuse = 2
        log = open(f"{tmp}/run.log", "w+")
        proc = subprocess.Popen([gazette_bin(), "run", "--port", str(http_port)], env=environment, stdout=log,
                                stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{http_port}"
        sent = 'digest_deliveries_total{destination="email",outcome="sent"}'
        failed = 'digest_deliveries_total{destination="email",outcome="failed"}'
        try:
            wait_until(lambda: metric(base, sent) == 1, timeout=90, what="the email delivered after the refusals")
            assert metric(base, failed) == 2 and box.refused == 2
            assert len(box.messages) == 1
            assert metric(base, 'digest_deliveries_total{destination="telegram",outcome="skipped"}') == 0
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.seek(0)
            output = log.read()
            log.close()
        assert PASSWORD not in output
        assert "451" in output, "the server's refusal is in the log"
