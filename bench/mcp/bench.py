#!/usr/bin/env python3
"""MCP server benchmarks (`make bench`): /metrics scrape latency and POST /call list_channels throughput.

Subscribes a user to 20 channels in a fresh SQLite database, then starts `gazette run` (server + worker in one
process) on a free loopback port with a fake t.me: the worker's pass at start fetches the 20 channels, so `/metrics`
carries 20 `channel` label values, and the worker then idles (interval 1 h). Then wrk:
  - GET /metrics with 1 connection, BENCH_SCRAPE_RUNS runs (scrape latency, medians over the runs; target p99 < 1 ms),
    each followed by a run of GET /health/live (the floor: a request with nothing to render), with the server's CPU
    time per request of each run,
  - POST /call list_channels with 16 connections on 2 threads (throughput, p50/p99),
  - GET /metrics again on a second server whose worker passes every 2 s (the tail under CPU contention).
Writes bench/results/mcp.json.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "python"))
from mcp_support import fake_telegram, free_port, gazette_env, wait_until  # noqa: E402

DURATION = os.environ.get("BENCH_DURATION", "10s")
# The scrape's p99 moves by a factor of two between 10-second runs on this shared 2-core VM (0.35-1.2 ms for the
# same trivial request), so the scrape is measured in several runs and the median run's figures are reported
# beside every run's p99.
SCRAPE_RUNS = int(os.environ.get("BENCH_SCRAPE_RUNS", "5"))


def post(base: str, tool: str, args: dict) -> dict:
    body = json.dumps({"tool_name": tool, "arguments": args}).encode()
    req = urllib.request.Request(base + "/call", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def to_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not m:
        raise ValueError(f"unexpected wrk latency {text!r}")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(args: list[str]) -> dict:
    out = subprocess.run(["wrk", "--latency", *args], check=True, capture_output=True, text=True).stdout
    dist = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests": total, "requests_per_second": rps, "p50_ms": to_ms(dist["50"]), "p90_ms": to_ms(dist["90"]),
            "p99_ms": to_ms(dist["99"]), "non_2xx": int(errors.group(1)) if errors else 0}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat fields 14 and 15)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk_measured(args: list[str], pid: int) -> dict:
    """One wrk run, plus the server's CPU time per request during it."""
    before = cpu_seconds(pid)
    result = wrk(args)
    result["server_cpu_us_per_request"] = round((cpu_seconds(pid) - before) / max(result["requests"], 1) * 1e6, 1)
    return result


def summarize(results: list[dict]) -> dict:
    """Medians over runs, every run's p99, total requests."""
    return {"runs": len(results), "requests": sum(r["requests"] for r in results),
            **{key: statistics.median(r[key] for r in results)
               for key in ("requests_per_second", "p50_ms", "p90_ms", "p99_ms", "server_cpu_us_per_request")},
            "p99_ms_each_run": [r["p99_ms"] for r in results],
            "non_2xx": sum(r["non_2xx"] for r in results)}


def interleaved(urls: dict[str, str], runs: int, pid: int) -> dict[str, dict]:
    """`runs` rounds of one 1-connection wrk run per URL, alternating, so the VM's slow minutes hit all alike."""
    results: dict[str, list[dict]] = {name: [] for name in urls}
    for _ in range(runs):
        for name, url in urls.items():
            results[name].append(wrk_measured(["-t1", "-c1", f"-d{DURATION}", url], pid))
    return {name: summarize(rs) for name, rs in results.items()}


def start_server(binary: str, env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([binary, "run", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def live() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"gazette run exited with {proc.returncode}")
        return urllib.request.urlopen(base + "/health/live", timeout=2).status == 200
    wait_until(live, what="server")
    return proc


def seeded_env(binary: str, directory: str, preview: str, channels: list[str], interval: str) -> dict:
    """A fresh SQLite database in `directory` with user 1 subscribed to `channels`, and the environment to use it."""
    os.makedirs(directory)
    env = gazette_env(directory, preview, GAZETTE_INTERVAL=interval)
    for channel in channels:
        subprocess.run([binary, "channels", "add", "--user", "1", channel], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return env


def channel_labels(base: str) -> int:
    text = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    return len(set(re.findall(r'channel="(benchchannel\d\d)"', text)))


def main() -> int:
    binary = os.environ.get("GAZETTE_BIN") or str(
        REPO / ".build" / ("release" if (REPO / ".build/release/gazette").exists() else "debug") / "gazette")
    channels = [f"benchchannel{i:02d}" for i in range(20)]
    with fake_telegram(tuple(channels)) as preview, tempfile.TemporaryDirectory() as tmp:
        # The channels exist before the server starts, so the worker's pass at start fetches all 20 and fills the
        # per-channel label values; then the worker is idle (interval 1 h), as between a deployment's passes.
        env = seeded_env(binary, f"{tmp}/idle", preview, channels, interval="1h")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(binary, env, port)
        try:
            wait_until(lambda: channel_labels(base) >= 20, timeout=60, what="20 channel label values")
            now = dt.datetime.now(dt.timezone.utc)
            for channel in channels:
                posts = [{"message_id": 1000 + j, "text": f"Post {j} of {channel}. Some words here.",
                          "date": (now - dt.timedelta(minutes=j + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")} for j in range(10)]
                post(base, "save_posts_to_db", {"posts": posts, "channel_username": channel, "user_id": 1})
            for _ in range(3):
                post(base, "list_channels", {"user_id": 1})
                post(base, "get_posts_from_db", {"user_id": 1, "hours": 1})
            labels = channel_labels(base)
            scrape = urllib.request.urlopen(base + "/metrics", timeout=5).read()
            # /health/live beside it: the cheapest request the server answers (no body to render), the floor that
            # the VM and wrk set in the same minutes.
            runs = interleaved({"scrape": base + "/metrics", "live": base + "/health/live"}, SCRAPE_RUNS, proc.pid)
            metrics, live = runs["scrape"], runs["live"]
            call = wrk(["-t2", "-c16", f"-d{DURATION}", "-s", str(REPO / "bench/mcp/call.lua"), base + "/call"])
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        # The same scrape while the worker runs a pass over the 20 channels every 2 s (parsing on the same 2 cores):
        # not the target's condition, reported to show what contention does to the tail.
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(binary, seeded_env(binary, f"{tmp}/busy", preview, channels, interval="2s"), port)
        try:
            wait_until(lambda: channel_labels(base) >= 20, timeout=60, what="20 channel label values")
            busy = interleaved({"scrape": base + "/metrics"}, SCRAPE_RUNS, proc.pid)["scrape"]
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    result = {
        "benchmark": "mcp-server",
        "binary": binary,
        "machine": f"{os.cpu_count()} cores",
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "metrics_scrape": {**metrics, "body_bytes": len(scrape), "series_lines": scrape.count(b"\n"),
                           "process": "gazette run, worker idle between passes", "channel_label_values": labels,
                           "target_p99_ms": 1.0, "meets_target": metrics["p99_ms"] < 1.0},
        "health_live_same_runs": {**live, "note": "reference: a request that renders nothing, interleaved with the scrape runs"},
        "scrape_p99_over_health_live_p99": round(metrics["p99_ms"] / live["p99_ms"], 2),
        "metrics_scrape_during_worker_passes_every_2s": busy,
        "call_list_channels_16_clients": {**call, "connections": 16, "threads": 2, "duration": DURATION},
    }
    out = REPO / "bench" / "results" / "mcp.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
