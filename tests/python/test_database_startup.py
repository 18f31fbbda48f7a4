"""Issue item 5: `serve`, `run`, `worker` and `bot` start while PostgreSQL is unreachable.

Each process is pointed at a port where nothing listens yet (a gate in front of the test's PostgreSQL server).
It must answer /health/live 200 and /health/ready 503 (saying the database is unreachable), log one line per
attempt while it retries with backoff, and, once the gate opens, migrate the empty database and become ready
without a restart. Before this, each of them exited at start-up.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest

import requirement
from mcp_support import create_postgres_database, free_port, gazette_bin, postgres_server_url, wait_until
from test_monitoring_fakes import FakeBotAPI
from mcp_support import FIXTURES

BOT_TOKEN = "7000000001:AAstartupTestBotToken_aaaaaaaaaaaaaa"


class Gate:
    """A TCP port that refuses connections until `open()`, then forwards each connection to `target`."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None

    def open(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        if self.listener:
            self.listener.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def schema_version(database_url: str) -> int:
    out = subprocess.run(["psql", database_url, "-tAc", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"],
                         capture_output=True, text=True, timeout=30)
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


@pytest.fixture
def server_url():
    url = postgres_server_url()
    requirement.require("POSTGRES", url is not None, "no PostgreSQL test server (GAZETTE_TEST_POSTGRES_URL); `make test` starts one")
    return url


@pytest.mark.parametrize("command", ["serve", "run", "worker", "bot"])
def test_starts_without_the_database_and_becomes_ready_when_it_answers(server_url, command):
    database = create_postgres_database(server_url, prefix="gazette_startup")
    real = urlsplit(database)
    gate = Gate((real.hostname, real.port))
    gated = urlunsplit(real._replace(netloc=f"{real.username}@127.0.0.1:{gate.port}"))
    port = free_port()
    args = [gazette_bin(), command, "--database", gated, "--log-level", "info"]
    args += ["--port", str(port)] if command in ("serve", "run") else ["--metrics-port", str(port)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_", "TELEGRAM_", "LLM_", "OTEL_"))}
    bot = None
    if command in ("bot", "run"):
        bot = FakeBotAPI(BOT_TOKEN, FIXTURES / "botapi").start()
        env.update({"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "GAZETTE_TELEGRAM_API_BASE_URL": bot.url})
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            def logged() -> str:
                log.seek(0)
                return log.read().decode(errors="replace")

            def alive():
                assert proc.poll() is None, f"{command} exited with {proc.returncode}:\n{logged()}"
                return get(base + "/health/live")[0] == 200

            wait_until(alive, what=f"{command} /health/live")
            status, body = get(base + "/health/ready")
            assert status == 503, body
            check = json.loads(body)["checks"]["database"]
            assert not check["ok"] and "database unreachable" in check["detail"], check
            # One clear line per attempt while it retries.
            wait_until(lambda: "database unreachable (attempt 2)" in logged(), timeout=20, what="a second attempt")
            lines = [l for l in logged().splitlines() if "database unreachable (attempt" in l]
            assert "attempt 1)" in lines[0] and "retrying in" in lines[0], lines
            assert schema_version(database) == 0
            if bot:
                assert "getUpdates" not in bot.methods, "the poller waits for the database"

            gate.open()
            wait_until(lambda: alive() and get(base + "/health/ready")[0] == 200, timeout=45,
                       what=f"{command} ready after the database came up")
            assert proc.poll() is None, "ready without a restart"
            assert schema_version(database) >= 2, "migrations ran once the database answered"
            assert "database reachable; starting" in logged()
            metrics = get(base + "/metrics")[1]
            # Counted through the standard swift-metrics API, served from the process's own registry.
            failed = [l for l in metrics.splitlines() if l.startswith('database_startup_attempts_total{outcome="failed"} ')]
            assert failed and float(failed[0].split()[-1]) >= 2, metrics
            assert 'database_startup_attempts_total{outcome="ok"} 1' in metrics
            if command in ("worker", "run"):
                assert "post_fetcher_worker_running 1" in metrics
            if bot:
                wait_until(lambda: "getUpdates" in bot.methods, what="the bot polling once the database is up")
            proc.terminate()
            assert proc.wait(timeout=15) == 0, logged()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            gate.close()
            if bot:
                bot.stop()
