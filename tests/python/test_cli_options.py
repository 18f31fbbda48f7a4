"""Every option in docs/DEPLOYMENT.md's configuration table is a working flag of the `gazette` binary.

`gazette config` accepts every option group, so each documented flag is passed to it with a value and must show up
in the printed configuration; secret values must show up only as `***`.
"""
from __future__ import annotations

import pathlib
import re
import subprocess
import tempfile

from mcp_support import gazette_bin

ROOT = pathlib.Path(__file__).resolve().parents[2]

# A valid value per flag, and what `gazette config` prints for it (None: the value itself).
VALUES = {
    "--database": ("sqlite:{tmp}/cli.sqlite", None),
    "--host": ("127.0.0.2", None),
    "--port": ("8111", None),
    "--metrics-port": ("9111", None),
    "--interval": ("15m", None),
    "--post-ttl-days": ("3", None),
    "--max-pages": ("2", None),
    "--telegram-preview-base-url": ("http://127.0.0.1:1", None),
    "--telegram-api-base-url": ("http://127.0.0.1:2", None),
    "--token": ("123456:cli-secret-bot-token", "***"),
    "--api-token": ("cli-secret-api-token", "***"),
    "--api-tokens-file": ("{tmp}/tokens", None),
    "--llm-url": ("http://127.0.0.1:3", None),
    "--llm-model": ("tiny-model", None),
    "--llm-api-key": ("cli-secret-llm-key", "***"),
    "--summarizer": ("extractive", None),
    "--log-format": ("json", None),
    "--log-level": ("debug", None),
    "--allow-private-sources": (None, "true"),
    "--bot-allowed-users": ("7,8", None),
    "--digest-max-channels": ("4", None),
    "--digest-max-posts": ("40", None),
    "--digest-cache-ttl": ("10m", None),
    "--digest-top-stories": ("5", None),
    "--llm-translate": (None, "true"),
    "--host-concurrency": ("3", None),
    "--lease-duration": ("2m", None),
    "--max-retry-wait": ("5s", None),
    "--otlp-endpoint": ("http://127.0.0.1:4318", None),
    "--data-dir": ("{tmp}/data", None),
    "--telegram-api-id": ("12345", None),
    "--telegram-api-hash": ("0123456789abcdef0123456789abcdef", "***"),
    "--account-dir": ("{tmp}/account", None),
    "--tdlib-path": ("{tmp}/libtdjson.so", None),
    "--tdlib-database-key": ("cli-secret-tdlib-key", "***"),
    "--images": ("off", None),
    "--image-max-bytes": ("1048576", None),
    "--image-timeout": ("5s", None),
    "--image-cache-max-bytes": ("10485760", None),
    "--summary-cache-max-bytes": ("1048576", None),
    "--smtp-url": ("smtp://127.0.0.1:2525", None),
    "--smtp-user": ("mailer", None),
    "--smtp-password": ("cli-secret-smtp-password", "***"),
    "--smtp-from": ("gazette@example.com", None),
    "--delivery-retry-base": ("30s", None),
}


def documented_flags() -> list[str]:
    text = (ROOT / "docs" / "DEPLOYMENT.md").read_text()
    section = text.split("## Configuration reference", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `[A-Z_]+`[^|]*\| `(--[a-z-]+)` \|", section, re.M)


def test_every_documented_option_is_a_flag_with_effect():
    flags = documented_flags()
    assert len(flags) >= 25, flags
    assert sorted(flags) == sorted(VALUES), "docs/DEPLOYMENT.md and this test list different options"
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for flag in flags:
            value, _ = VALUES[flag]
            args += [flag] if value is None else [flag, value.format(tmp=tmp)]
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp}
        out = subprocess.run([gazette_bin(), "config", *args], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        shown = dict(line.split(": ", 1) for line in out.stdout.splitlines() if ": " in line)
        for flag in flags:
            value, printed = VALUES[flag]
            expected = printed if printed is not None else value.format(tmp=tmp)
            assert shown.get(flag[2:]) == expected, f"{flag}: printed {shown.get(flag[2:])!r}, expected {expected!r}"
        for secret in ("cli-secret-smtp-password", "cli-secret-bot-token", "cli-secret-api-token", "cli-secret-llm-key",
                       "0123456789abcdef0123456789abcdef", "cli-secret-tdlib-key"):
            assert secret not in out.stdout + out.stderr


def test_bad_flag_value_names_the_option():
    out = subprocess.run([gazette_bin(), "config", "--host-concurrency", "0"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 64
    assert "host-concurrency" in out.stderr
