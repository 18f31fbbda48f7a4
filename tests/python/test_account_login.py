"""`gazette login` in a terminal: the real TDLib reaches the phone-number prompt with dummy credentials; without the
api id or without the library it stops with one line; `login --status` on a fresh data directory is "not logged in".
While a worker holds the account, `login` refuses in one line naming it and `fetch --once` leaves the account's
channels to it, saying so.
"""
from __future__ import annotations

import os
import pathlib
import subprocess
import tempfile
import time

import pytest

import requirement
from mcp_support import gazette_bin
from terminal import run_in_terminal

ROOT = pathlib.Path(__file__).resolve().parents[2]
TDLIB = ROOT / ".tdlib" / "libtdjson.so"
API = ["--telegram-api-id", "12345", "--telegram-api-hash", "0123456789abcdef0123456789abcdef"]

needs_tdlib = requirement.mark("TDLIB", TDLIB.exists(), "TDLib is not installed (make tdlib)")


def run(args, tmp, **kw):
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp}
    return subprocess.run([gazette_bin(), *args], env=env, capture_output=True, text=True, timeout=60, cwd=tmp, **kw)


@needs_tdlib
def test_login_reaches_the_phone_prompt_in_a_terminal():
    with tempfile.TemporaryDirectory() as tmp:
        login = run_in_terminal([gazette_bin(), "login", *API, "--data-dir", tmp, "--tdlib-path", str(TDLIB)], cwd=tmp,
                                env={"PATH": "/usr/bin:/bin", "HOME": tmp}, wait_for=b"Phone number")
        assert "Phone number" in login.output, login.output
        assert "0123456789abcdef" not in login.output
        assert "login cancelled" in login.output and login.status == 1, login.output  # end of input cancels it
        account = pathlib.Path(tmp) / "account"
        assert account.stat().st_mode & 0o777 == 0o700


def test_login_without_api_id_names_the_option():
    with tempfile.TemporaryDirectory() as tmp:
        out = run(["login", "--data-dir", tmp], tmp)
        assert out.returncode == 64, out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and "--telegram-api-id" in lines[0], out.stderr


def test_login_without_the_library_says_how_to_install_it():
    with tempfile.TemporaryDirectory() as tmp:
        out = run(["login", *API, "--data-dir", tmp, "--tdlib-path", f"{tmp}/missing/libtdjson.so"], tmp)
        assert out.returncode == 69, out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and "make tdlib" in lines[0], out.stderr
        assert "0123456789abcdef" not in out.stderr


def test_status_on_a_fresh_data_directory_is_not_logged_in():
    with tempfile.TemporaryDirectory() as tmp:
        out = run(["login", "--status", "--data-dir", tmp], tmp)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "not logged in"
        out = run(["logout", "--data-dir", tmp], tmp)
        assert out.returncode == 0 and out.stdout.strip() == "not logged in", out.stderr


@needs_tdlib
def test_status_of_a_session_that_never_logged_in():
    with tempfile.TemporaryDirectory() as tmp:
        # Reaching the phone prompt and stopping leaves a database behind, without an account.
        out = run(["login", *API, "--data-dir", tmp, "--tdlib-path", str(TDLIB)], tmp, input="")
        assert out.returncode == 1 and "login cancelled" in out.stderr, out.stderr
        out = run(["login", "--status", *API, "--data-dir", tmp, "--tdlib-path", str(TDLIB)], tmp)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "not logged in"


def test_invite_link_without_login_is_kept_waiting_for_login():
    with tempfile.TemporaryDirectory() as tmp:
        db = ["--database", f"sqlite:{tmp}/g.sqlite"]
        out = run(["channels", "add", "--user", "1", "https://t.me/+AbCdEfGhIjKl", *db], tmp)
        assert out.returncode == 0, out.stderr
        assert "subscribed: +AbCdEfGhIjKl" in out.stdout and "waiting for login" in out.stdout, out.stdout
        out = run(["channels", "add", "--user", "1", "--via", "account", "durov", *db], tmp)
        assert out.returncode == 0, out.stderr
        out = run(["channels", "add", "--user", "1", "t.me/joinchat/ZyXwVuTsRqPo", "telegram", *db], tmp)
        assert out.returncode == 0, out.stderr
        out = run(["channels", "list", "--user", "1", *db], tmp)
        assert out.returncode == 0, out.stderr
        rows = {line.split()[1]: line for line in out.stdout.splitlines()[2:] if line.strip()}
        assert "account: waiting for login (private channel" in rows["+AbCdEfGhIjKl"], out.stdout
        assert "account: waiting for login (--via account)" in rows["durov"], out.stdout
        assert "preview (auto, public channel)" in rows["telegram"], out.stdout
        assert "+ZyXwVuTsRqPo" in rows


def test_via_preview_is_refused_for_an_invite_link_and_via_for_a_feed():
    with tempfile.TemporaryDirectory() as tmp:
        db = ["--database", f"sqlite:{tmp}/g.sqlite"]
        out = run(["channels", "add", "--user", "1", "--via", "preview", "t.me/+AbCdEfGhIjKl", *db], tmp)
        assert out.returncode == 65 and "only the user account" in out.stderr, out.stderr
        out = run(["channels", "add", "--user", "1", "--via", "account", "https://example.org/feed.xml", *db], tmp)
        assert out.returncode == 65 and "--via applies to telegram channels" in out.stderr, out.stderr
        out = run(["channels", "add", "--user", "1", "--via", "sideways", "durov", *db], tmp)
        assert out.returncode != 0 and "via" in out.stderr


def _worker(tmp, *extra):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "GAZETTE_LOG_LEVEL": "warning"}
    proc = subprocess.Popen([gazette_bin(), "worker", "--metrics-port", str(port), "--database", f"sqlite:{tmp}/g.sqlite",
                             "--data-dir", f"{tmp}/data", *extra], env=env, cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return proc, port


def _health(port, want):
    import json
    import urllib.request
    deadline = time.monotonic() + 60
    last = None
    while time.monotonic() < deadline:
        try:
            body = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).read())
            last = body
            if want(body):
                return body
        except OSError as err:
            last = err
        time.sleep(0.1)
    raise AssertionError(f"health never matched: {last}")


def test_worker_without_an_account_reports_it_not_configured():
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = _worker(tmp)
        try:
            body = _health(port, lambda b: "telegram_account" in b.get("checks", {}))
            assert body["checks"]["telegram_account"] == {"ok": True, "detail": "not configured"}
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@needs_tdlib
def test_worker_with_an_account_that_is_not_logged_in_reports_it_and_stays_ready():
    import urllib.request
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = _worker(tmp, *API, "--tdlib-path", str(TDLIB))
        try:
            body = _health(port, lambda b: b.get("checks", {}).get("telegram_account", {}).get("detail") == "logged_out")
            assert body["checks"]["telegram_account"]["ok"] is True
            _health(port, lambda b: b.get("checks", {}).get("worker", {}).get("ok") is True)
            metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
            assert 'telegram_account_state{state="logged_out"} 1' in metrics
            assert "0123456789abcdef" not in metrics
            ready = urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2)
            assert ready.status == 200
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=20)
        assert "0123456789abcdef" not in err
        assert "gazette login" in err  # the one warning says what to do


@needs_tdlib
def test_login_and_fetch_leave_the_account_to_the_worker_that_holds_it():
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = _worker(tmp, *API, "--tdlib-path", str(TDLIB))
        try:
            # The worker took the account's lease and opened the session (not logged in: dummy credentials).
            _health(port, lambda b: b.get("checks", {}).get("telegram_account", {}).get("detail") == "logged_out")
            db = ["--database", f"sqlite:{tmp}/g.sqlite"]
            account = [*API, "--tdlib-path", str(TDLIB), "--data-dir", f"{tmp}/data"]
            out = run(["login", *account, *db], tmp, input="+441234567890\n")
            assert out.returncode == 1, out.stderr
            lines = [line for line in out.stderr.splitlines() if line.startswith("error:")]
            assert len(lines) == 1, out.stderr
            assert f"in use by gazette worker (pid {proc.pid} on " in lines[0], lines[0]
            assert "Phone number" not in out.stdout, "the session is not opened while the worker has it"

            assert run(["channels", "add", "--user", "1", "https://t.me/+AbCdEfGhIjKl", *db], tmp).returncode == 0
            fetched = run(["fetch", "--once", *account, *db], tmp)
            assert fetched.returncode == 0, fetched.stderr
            assert (f"left 1 channel for the user account (+AbCdEfGhIjKl): the account is in use by gazette worker (pid {proc.pid} on "
                    in fetched.stdout), fetched.stdout + fetched.stderr
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=20)
        assert "0123456789abcdef" not in err


def test_fetch_without_an_account_says_why_the_account_channels_wait():
    with tempfile.TemporaryDirectory() as tmp:
        db = ["--database", f"sqlite:{tmp}/g.sqlite"]
        assert run(["channels", "add", "--user", "1", "https://t.me/+AbCdEfGhIjKl", *db], tmp).returncode == 0
        fetched = run(["fetch", "--once", *db], tmp)
        assert fetched.returncode == 0, fetched.stderr
        assert fetched.stdout.strip() == ("left 1 channel for the user account (+AbCdEfGhIjKl): no user account is configured "
                                          "(--telegram-api-id and --telegram-api-hash, then `gazette login`)"), fetched.stdout
