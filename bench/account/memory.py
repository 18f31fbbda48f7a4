#!/usr/bin/env python3
"""Idle worker memory with and without the Telegram user account (`make bench`).

Starts `gazette worker` (release binary from GAZETTE_BIN) on a fresh SQLite database with no channels, twice:
without an account, and with `--telegram-api-id`/`--telegram-api-hash` (dummy credentials) so that TDLib is loaded and
its session opened (it stops at "wait for phone number": no login, no network needed). Once the worker is ready (and,
with the account, reports `telegram_account_state`), RSS is sampled from /proc for BENCH_IDLE_SECONDS (default 10).
Writes bench/results/account-memory.json.
"""
from __future__ import annotations

import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "python"))
from mcp_support import free_port, wait_until  # noqa: E402

IDLE = float(os.environ.get("BENCH_IDLE_SECONDS", "10"))
TDLIB = REPO / ".tdlib" / "libtdjson.so"


def rss_mb(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def run(with_account: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "GAZETTE_DATABASE_URL": f"sqlite:{tmp}/g.sqlite",
               "GAZETTE_LOG_LEVEL": "warning", "GAZETTE_DATA_DIR": f"{tmp}/data"}
        args = [os.environ["GAZETTE_BIN"], "worker", "--metrics-port", str(port)]
        if with_account:
            args += ["--telegram-api-id", "12345", "--telegram-api-hash", "0123456789abcdef0123456789abcdef",
                     "--tdlib-path", str(TDLIB)]
        proc = subprocess.Popen(args, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def ready():
                text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
                if "post_fetcher_last_run_timestamp_seconds" not in text:
                    return False
                return not with_account or 'telegram_account_state{state="logged_out"} 1' in text
            wait_until(ready, timeout=60, what="worker ready")
            samples = []
            deadline = time.monotonic() + IDLE
            while time.monotonic() < deadline:
                samples.append(rss_mb(proc.pid))
                time.sleep(0.5)
            return {"rss_mb_median": round(statistics.median(samples), 1), "rss_mb_max": round(max(samples), 1),
                    "samples": len(samples)}
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    without = run(False)
    with_account = run(True)
    result = {
        "benchmark": "idle worker RSS with and without the Telegram user account",
        "idle_seconds": IDLE,
        "without_account": without,
        "with_account_tdlib_loaded": with_account,
        "tdlib_cost_mb": round(with_account["rss_mb_median"] - without["rss_mb_median"], 1),
    }
    out = REPO / "bench" / "results" / "account-memory.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True))
    print(json.dumps(result, indent=2, sort_keys=True))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
