"""End-to-end monitoring test (issue 7, SPEC §9–§11, lessons 2, 3 and 9).

Starts the project's Prometheus configuration (rewritten only to loopback test ports and 1 s intervals, with
the real alerts.yml), runs Gazette's server, worker and bot with the EXACT command lines of docker-compose.yml
(only host and ports replaced), does real work — a fetch from a fake t.me, PDFs, an MCP call, two bot
digests — and then asserts through the Prometheus HTTP API that every target is up, every seed metric is
present and moved in the process that does the work, every alert rule loaded and evaluates without error,
and every Grafana panel query returns data.

Needs the built binary (GAZETTE_BIN, default .build/debug/gazette) and `prometheus` on PATH.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import yaml

import requirement
from test_monitoring_fakes import FakeBotAPI, FakeLLM, FakeTelegramPreview, FakeWebhook

ROOT = Path(__file__).resolve().parents[2]
from mcp_support import FIXTURES, create_postgres_database, postgres_server_url  # FIXTURES: Tests/Fixtures of this repository
GAZETTE_BIN = Path(os.environ.get("GAZETTE_BIN", ROOT / ".build" / "debug" / "gazette"))
USER_ID = 123456789
BOT_TOKEN = "7000000001:AAfakeE2eBotTokenForMonitoringTest_x"
API_TOKEN = "e2e-api-token-" + uuid.uuid4().hex
LLM_KEY = "sk-e2e-" + uuid.uuid4().hex
ALERT_BOT_TOKEN = "7000000002:AAfakeAlertBotToken_" + uuid.uuid4().hex[:8]
ALERT_CHAT_ID = -1001234567890
SECRETS = [BOT_TOKEN, BOT_TOKEN.split(":")[1], API_TOKEN, LLM_KEY, ALERT_BOT_TOKEN]

SEED_METRICS = {  # name → (series to look for, job that must export it)
    "post_fetcher_posts_saved_total": ("post_fetcher_posts_saved_total", "gazette-worker"),
    "post_fetcher_channels_processed_total": ("post_fetcher_channels_processed_total", "gazette-worker"),
    "post_fetcher_errors_total": ("post_fetcher_errors_total", "gazette-worker"),
    "post_fetcher_duration_seconds": ("post_fetcher_duration_seconds_bucket", "gazette-worker"),
    "post_fetcher_posts_skipped_total": ("post_fetcher_posts_skipped_total", "gazette-worker"),
    "post_fetcher_worker_running": ("post_fetcher_worker_running", "gazette-worker"),
    "post_fetcher_last_run_timestamp_seconds": ("post_fetcher_last_run_timestamp_seconds", "gazette-worker"),
    "pdf_generation_duration_seconds": ("pdf_generation_duration_seconds_bucket", "gazette-server"),
    "pdf_generation_errors_total": ("pdf_generation_errors_total", "gazette-server"),
    "pdf_file_size_bytes": ("pdf_file_size_bytes_bucket", "gazette-server"),
    "pdf_pages_total": ("pdf_pages_total_bucket", "gazette-server"),
    "bot_digest_requests_total": ("bot_digest_requests_total", "gazette-bot"),
    "bot_digest_cache_hits_total": ("bot_digest_cache_hits_total", "gazette-bot"),
    "bot_digest_errors_total": ("bot_digest_errors_total", "gazette-bot"),
}
COMPOSE_SERVICES = {"gazette-server": "mcp-server", "gazette-worker": "post-fetcher-worker", "gazette-bot": "bot"}


# ---------------------------------------------------------------- helpers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, probe, timeout: float, interval: float = 0.25, detail=lambda: ""):
    """Polls `probe` until it returns a truthy value or the deadline passes (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = probe()
            if result:
                return result
            last = result
        except (requests.RequestException, OSError, ValueError) as err:
            last = err
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r}){detail()}")


def interpolate(value: str, defaults: dict[str, str]) -> str:
    """Compose-style ${VAR}, ${VAR:-default}, ${VAR:?message} with values from .env.example."""
    def repl(m):
        name, op, arg = m.group(1), m.group(2), m.group(3) or ""
        if name in defaults:
            return defaults[name]
        if op == ":-":
            return arg
        raise AssertionError(f"docker-compose.yml needs {name}, which .env.example does not set")
    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", repl, value)


def env_example() -> dict[str, str]:
    out = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def compose_command(service: dict, ports: dict[str, int]) -> list[str]:
    """The service's command with only the bind address and ports replaced."""
    args = list(service["command"])
    for i, arg in enumerate(args[:-1]):
        if arg == "--host":
            args[i + 1] = "127.0.0.1"
        elif arg in ("--port", "--metrics-port"):
            args[i + 1] = str(ports[arg])
    return args


class Proc:
    def __init__(self, name: str, args: list[str], env: dict[str, str], logdir: Path):
        self.name, self.args = name, args
        self.log = logdir / f"{name}.log"
        self.handle = open(self.log, "wb")
        self.popen = subprocess.Popen(args, env=env, stdout=self.handle, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)

    def tail(self, n: int = 40) -> str:
        lines = self.log.read_text(errors="replace").splitlines()[-n:]
        return f"\n--- {self.name}: {' '.join(self.args)} (exit {self.popen.poll()})\n" + "\n".join(lines)

    def stop(self):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)
        self.handle.close()


# ---------------------------------------------------------------- the stack

class Stack:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[Proc] = []
        self.fakes = []
        self.ports = {job: free_port() for job in COMPOSE_SERVICES}
        self.prom_port = free_port()
        self.am_port = free_port()
        self.compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        self.defaults = env_example()

    @property
    def has_alertmanager(self) -> bool:
        return bool(shutil.which("prometheus-alertmanager") or shutil.which("alertmanager"))

    @property
    def server(self) -> str:
        return f"http://127.0.0.1:{self.ports['gazette-server']}"

    @property
    def prom(self) -> str:
        return f"http://127.0.0.1:{self.prom_port}"

    def database_url(self) -> str:
        pg = postgres_server_url()
        if pg:
            return create_postgres_database(pg, prefix="gazette_e2e")
        return f"sqlite:{self.tmp / 'gazette.sqlite'}"

    def env_for(self, service: str, database: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GAZETTE_", "TELEGRAM_", "LLM_", "OTEL_")) and k not in ("DATABASE_URL",)}
        for key, value in (self.compose["services"][service].get("environment") or {}).items():
            env[key] = interpolate(str(value), self.defaults)
        env.update({
            "GAZETTE_DATABASE_URL": database,
            "GAZETTE_HOST": "127.0.0.1",
            "GAZETTE_TELEGRAM_PREVIEW_BASE_URL": self.preview.url,
            "GAZETTE_TELEGRAM_API_BASE_URL": self.botapi.url,
            "GAZETTE_LLM_URL": self.llm.url + "/v1",
            "GAZETTE_LLM_MODEL": "fake-model",
            "GAZETTE_LLM_API_KEY": LLM_KEY,
            "GAZETTE_ALLOW_PRIVATE_SOURCES": "1",
            "GAZETTE_MAX_PAGES": "1",
            "GAZETTE_INTERVAL": "5s",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "",
        })
        if "GAZETTE_API_TOKEN" in env:
            env["GAZETTE_API_TOKEN"] = API_TOKEN
        if "TELEGRAM_BOT_TOKEN" in env:
            env["TELEGRAM_BOT_TOKEN"] = BOT_TOKEN
        return env

    def start_gazette(self, job: str, database: str) -> Proc:
        service = COMPOSE_SERVICES[job]
        port = self.ports[job]
        args = [str(GAZETTE_BIN)] + compose_command(self.compose["services"][service],
                                                    {"--port": port, "--metrics-port": port})
        proc = Proc(job, args, self.env_for(service, database), self.tmp)
        self.procs.append(proc)
        url = f"http://127.0.0.1:{port}/health/ready"

        def ready():
            if proc.popen.poll() is not None:
                raise AssertionError(f"{job} exited early{proc.tail()}")
            return requests.get(url, timeout=2).status_code == 200
        wait_for(f"{job} {url} to answer 200", ready, timeout=60, detail=proc.tail)
        return proc

    def migrate(self, database: str):
        args = [str(GAZETTE_BIN)] + list(self.compose["services"]["migrate"]["command"])
        env = self.env_for("migrate", database)
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{' '.join(args)} failed: {done.stderr[-2000:]}"

    def subscribe_cli(self, channel: str, database: str):
        args = [str(GAZETTE_BIN), "channels", "add", "--user", str(USER_ID), channel, "--database", database]
        done = subprocess.run(args, env=self.env_for("mcp-server", database), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{' '.join(args)} failed: {done.stderr[-1000:]}"

    def start_prometheus(self):
        config = yaml.safe_load((ROOT / "prometheus" / "prometheus.yml").read_text())
        jobs = {c["job_name"] for c in config["scrape_configs"]}
        assert jobs == set(COMPOSE_SERVICES) | {"prometheus"}, f"prometheus.yml scrapes {sorted(jobs)}"
        config["global"].update({"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"})
        config["rule_files"] = [str(ROOT / "prometheus" / "alerts.yml")]
        for am in config["alerting"]["alertmanagers"]:
            am["static_configs"] = [{"targets": [f"127.0.0.1:{self.am_port}"]}]
        for job in config["scrape_configs"]:
            port = self.prom_port if job["job_name"] == "prometheus" else self.ports[job["job_name"]]
            job["static_configs"] = [{"targets": [f"127.0.0.1:{port}"]}]
        path = self.tmp / "prometheus.yml"
        path.write_text(yaml.safe_dump(config))
        proc = Proc("prometheus", ["prometheus", f"--config.file={path}", f"--storage.tsdb.path={self.tmp / 'tsdb'}",
                                   f"--web.listen-address=127.0.0.1:{self.prom_port}",
                                   "--storage.tsdb.retention.time=1d"], dict(os.environ), self.tmp)
        self.procs.append(proc)
        wait_for("prometheus /-/ready", lambda: requests.get(self.prom + "/-/ready", timeout=2).ok,
                 timeout=30, detail=proc.tail)

    def start_alertmanager(self):
        """The project's alertmanager.yml through render-config.sh, with the token from a file."""
        token_file = self.tmp / "telegram_alert_token"
        token_file.write_text(ALERT_BOT_TOKEN + "\n")
        token_file.chmod(0o600)
        env = dict(os.environ, TELEGRAM_ALERT_TOKEN_FILE=str(token_file), ALERT_TELEGRAM_CHAT_ID=str(ALERT_CHAT_ID),
                   ALERT_WEBHOOK_URL=self.webhook.url + "/alerts", ALERT_TELEGRAM_API_URL=self.alertbot.url,
                   ALERTMANAGER_TEMPLATE=str(ROOT / "alertmanager" / "alertmanager.yml"),
                   ALERTMANAGER_RENDERED=str(self.tmp / "alertmanager.yml"),
                   ALERTMANAGER_BIN=shutil.which("prometheus-alertmanager") or shutil.which("alertmanager"))
        proc = Proc("alertmanager", ["sh", str(ROOT / "alertmanager" / "render-config.sh"),
                                     f"--storage.path={self.tmp / 'am'}", f"--web.listen-address=127.0.0.1:{self.am_port}",
                                     "--cluster.listen-address="], env, self.tmp)
        self.procs.append(proc)
        wait_for("alertmanager /-/ready", lambda: requests.get(f"http://127.0.0.1:{self.am_port}/-/ready", timeout=2).ok,
                 timeout=30, detail=proc.tail)

    def call(self, tool: str, arguments: dict, expect: int = 200) -> dict:
        r = requests.post(self.server + "/call", json={"tool_name": tool, "arguments": arguments},
                          headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=60)
        assert r.status_code == expect, f"/call {tool} → {r.status_code}: {r.text[:500]}"
        return r.json()

    def mcp_list_channels(self):
        """One Streamable HTTP session: initialize, initialized, tools/call."""
        headers = {"Authorization": f"Bearer {API_TOKEN}", "Accept": "application/json, text/event-stream",
                   "Content-Type": "application/json"}

        def post(payload, session=None):
            h = dict(headers, **({"Mcp-Session-Id": session} if session else {}))
            r = requests.post(self.server + "/mcp", data=json.dumps(payload), headers=h, timeout=30)
            assert r.status_code in (200, 202), f"/mcp {payload.get('method')} → {r.status_code}: {r.text[:300]}"
            return r
        init = post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}})
        session = init.headers.get("Mcp-Session-Id")
        post({"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
        result = post({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                       "params": {"name": "list_channels", "arguments": {"user_id": USER_ID}}}, session)
        assert "topwar_official" in result.text, result.text[:500]

    def query(self, expr: str) -> list:
        r = requests.get(self.prom + "/api/v1/query", params={"query": expr}, timeout=10)
        body = r.json()
        assert body.get("status") == "success", f"{expr}: {body}"
        return body["data"]["result"]

    def logs(self) -> str:
        return "".join(p.tail() for p in self.procs)

    def close(self):
        for proc in reversed(self.procs):
            proc.stop()
        for fake in self.fakes:
            fake.stop()


@pytest.fixture(scope="module")
def stack():
    requirement.require("BINARY", GAZETTE_BIN.exists(), f"{GAZETTE_BIN} does not exist; build it (swift build)")
    if not shutil.which("prometheus"):
        pytest.fail("prometheus is not installed (apt-get install prometheus)")
    tmp = Path(tempfile.mkdtemp(prefix="gazette-e2e-"))
    s = Stack(tmp)
    try:
        s.preview = FakeTelegramPreview(FIXTURES / "telegram-preview").start()
        s.botapi = FakeBotAPI(BOT_TOKEN, FIXTURES / "botapi").start()
        s.llm = FakeLLM().start()
        s.webhook = FakeWebhook().start()
        s.alertbot = FakeBotAPI(ALERT_BOT_TOKEN, FIXTURES / "botapi").start()
        s.fakes += [s.preview, s.botapi, s.llm, s.webhook, s.alertbot]
        database = s.database_url()
        s.migrate(database)
        if s.has_alertmanager:
            s.start_alertmanager()
        s.start_prometheus()
        s.start_gazette("gazette-server", database)

        # Subscriptions: a real channel through the REST API, one that does not exist through the CLI.
        s.call("add_channel", {"user_id": USER_ID, "channel_username": "topwar_official"})
        s.subscribe_cli("gazette_missing_channel", database)

        s.start_gazette("gazette-worker", database)
        wait_for("the worker to save posts from the fake t.me",
                 lambda: re.search(r'^post_fetcher_posts_saved_total\{[^}]*\} [1-9]', requests.get(
                     f"http://127.0.0.1:{s.ports['gazette-worker']}/metrics", timeout=2).text, re.M),
                 timeout=60, detail=s.logs)
        # Once Prometheus holds the worker's error counters, a channel whose page no longer parses is added:
        # PostFetcherLayoutChanged must then fire from Gazette's real series.
        wait_for("prometheus to scrape the worker's error counters",
                 lambda: len(s.query('post_fetcher_errors_total{job="gazette-worker"}[3s]')) > 0, timeout=30)
        s.subscribe_cli("gazette_layout_probe", database)

        # PDFs in the server: a plain render, a digest of the fetched posts, and one refused input.
        pdf = s.call("convert_markdown_to_pdf", {"markdown": "# Gazette e2e\n\nHello, **world** — привет 📰"})
        assert pdf["result"]["pages"] >= 1
        digest = s.call("generate_pdf_digest", {"user_id": USER_ID, "hours": 24})
        assert digest["result"]["pages"] >= 1
        too_large = requests.post(s.server + "/call", json={"tool_name": "convert_markdown_to_pdf",
                                                            "arguments": {"markdown": "x" * (2 * 1024 * 1024 + 10)}},
                                  headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=60)
        assert 400 <= too_large.status_code < 500, f"oversized markdown → {too_large.status_code}"
        s.mcp_list_channels()

        # The bot: two /digest requests from the subscribed user. The digest cache lives in the database and is
        # shared with the server, whose 24 h digest above would answer a plain /digest; a 12 h window makes the
        # bot render the first one itself, and the second comes from the cache.
        s.start_gazette("gazette-bot", database)
        s.botapi.push_command("/digest 12")
        assert s.botapi.wait_replies(USER_ID, 1, timeout=90), f"no digest reply{s.logs()}"
        s.botapi.push_command("/digest 12")
        assert s.botapi.wait_replies(USER_ID, 2, timeout=90), f"no second digest reply{s.logs()}"
        yield s
    finally:
        s.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- assertions

def test_every_target_is_up(stack):
    def all_up():
        targets = requests.get(stack.prom + "/api/v1/targets", timeout=5).json()["data"]["activeTargets"]
        health = {t["labels"]["job"]: t["health"] for t in targets}
        return health if set(health) == set(COMPOSE_SERVICES) | {"prometheus"} and set(health.values()) == {"up"} else None
    wait_for("every scrape target up", all_up, timeout=30, detail=stack.logs)


def test_every_seed_metric_is_present_in_the_process_that_does_the_work(stack):
    for name, (series, job) in SEED_METRICS.items():
        wait_for(f"{series} from job {job}", lambda: stack.query(f'{series}{{job="{job}"}}'), timeout=30,
                 detail=stack.logs)


def test_seed_metrics_moved(stack):
    checks = {
        'sum(post_fetcher_posts_saved_total{job="gazette-worker"})': lambda v: v >= 12,
        'sum(post_fetcher_channels_processed_total{job="gazette-worker"})': lambda v: v >= 1,
        'sum(post_fetcher_posts_skipped_total{job="gazette-worker"})': lambda v: v >= 1,
        'sum(post_fetcher_duration_seconds_count{job="gazette-worker"})': lambda v: v >= 2,
        'max(post_fetcher_worker_running{job="gazette-worker"})': lambda v: v == 1,
        'time() - max(post_fetcher_last_run_timestamp_seconds{job="gazette-worker"})': lambda v: 0 <= v < 120,
        'sum(pdf_generation_duration_seconds_count{job="gazette-server"})': lambda v: v >= 2,
        'sum(pdf_generation_errors_total{job="gazette-server"})': lambda v: v >= 1,
        'sum(bot_digest_requests_total{job="gazette-bot"})': lambda v: v >= 2,
        'sum(bot_digest_cache_hits_total{job="gazette-bot"})': lambda v: v >= 1,
        'sum(pdf_generation_duration_seconds_count{job="gazette-bot"})': lambda v: v >= 1,
        # The server's digest summarized its channel section (issue 28's summary cache counts it as a miss).
        'sum(summary_cache_misses_total{job="gazette-server"})': lambda v: v >= 1,
    }
    for expr, ok in checks.items():
        def probe():
            result = stack.query(expr)
            return bool(result) and ok(float(result[0]["value"][1]))
        wait_for(f"{expr} to satisfy its check", probe, timeout=30, detail=stack.logs)


def test_every_alert_rule_loaded_and_evaluates(stack):
    names = {r["alert"] for g in yaml.safe_load((ROOT / "prometheus" / "alerts.yml").read_text())["groups"]
             for r in g["rules"]}

    def all_ok():
        groups = requests.get(stack.prom + "/api/v1/rules", timeout=5).json()["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        bad = [(r["name"], r.get("lastError")) for r in rules if r["health"] != "ok"]
        return {r["name"] for r in rules} if not bad else None
    loaded = wait_for("every rule evaluated with health ok", all_ok, timeout=30)
    assert loaded == names


def test_an_alert_fires_from_real_series(stack):
    """A preview page without the known markup → error_type="layout_changed" → PostFetcherLayoutChanged."""
    wait_for("PostFetcherLayoutChanged to fire",
             lambda: stack.query('ALERTS{alertname="PostFetcherLayoutChanged", alertstate="firing", job="gazette-worker"}'),
             timeout=60, detail=stack.logs)
    assert stack.query('post_fetcher_errors_total{job="gazette-worker", error_type="layout_changed"} > 0')


def test_alertmanager_routes_inhibits_and_delivers(stack):
    """Fired alerts go through the project's Alertmanager (group_wait 30 s) to the webhook and to Telegram.
    The layout probe fires PostFetcherLayoutChanged (warning); if the fetch errors also crossed
    PostFetcherHighErrorRate (critical, same component), the warning must be inhibited instead of sent."""
    if not stack.has_alertmanager:
        pytest.fail("Alertmanager is not installed (apt-get install prometheus-alertmanager)")
    am = f"http://127.0.0.1:{stack.am_port}"

    def delivered():
        return stack.webhook.wait_alert("PostFetcherLayoutChanged", 0) or stack.webhook.wait_alert("PostFetcherHighErrorRate", 0)
    first = wait_for("a fetcher alert at the webhook", delivered, timeout=120, interval=1, detail=stack.logs)
    assert first["labels"]["component"] == "fetcher" and first["annotations"]["runbook_url"].startswith("docs/DEPLOYMENT.md#")

    alerts = requests.get(am + "/api/v2/alerts", timeout=5).json()
    by_name = {a["labels"]["alertname"]: a for a in alerts}
    layout = by_name.get("PostFetcherLayoutChanged")
    assert layout, f"Alertmanager does not hold PostFetcherLayoutChanged: {sorted(by_name)}"
    critical = by_name.get("PostFetcherHighErrorRate")
    if critical and critical["status"]["state"] == "active":
        assert layout["status"]["inhibitedBy"], f"critical fetcher alert active but the warning is not inhibited: {layout['status']}"
        assert stack.webhook.wait_alert("PostFetcherHighErrorRate", 10)
    else:
        assert stack.webhook.wait_alert("PostFetcherLayoutChanged", 60), "the warning never reached the webhook"
    assert stack.alertbot.wait_replies(ALERT_CHAT_ID, 1, timeout=30), \
        f"no Telegram alert message to {ALERT_CHAT_ID}: {stack.alertbot.methods}{stack.logs()}"


def test_every_grafana_panel_returns_data(stack):
    exprs = []
    for path in sorted((ROOT / "grafana" / "dashboards").glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            exprs += [(panel["title"], t["expr"]) for t in panel.get("targets", [])]
    assert len(exprs) >= 20
    empty = []
    deadline = time.monotonic() + 60
    for title, expr in exprs:
        while not stack.query(expr):
            if time.monotonic() > deadline:
                empty.append(f"{title}: {expr}")
                break
            time.sleep(0.5)
    assert not empty, "panels without data:\n" + "\n".join(empty)


def test_no_secret_in_logs_or_metrics(stack):
    texts = {p.name: p.log.read_text(errors="replace") for p in stack.procs}
    for job, port in stack.ports.items():
        texts[f"{job} /metrics"] = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    leaks = [(where, secret[:6] + "…") for where, text in texts.items() for secret in SECRETS if secret in text]
    assert not leaks, f"secrets leaked: {leaks}"
