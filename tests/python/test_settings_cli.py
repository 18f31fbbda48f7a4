"""`gazette settings` (issue 18): shows a user's delivery settings, changes destinations, address, on/off, hour and
zone, and names what is wrong with bad input without storing it."""
from __future__ import annotations

import subprocess
import tempfile

from mcp_support import gazette_bin


def run(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gazette_bin(), "settings", *args, "--database", f"sqlite:{db}"], capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin"})


def shown(out: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert out.returncode == 0, out.stderr
    return dict(line.split(": ", 1) for line in out.stdout.splitlines() if ": " in line)


def test_settings_show_change_and_refuse():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        first = shown(run("--user", "7", db=db))
        assert first["deliver to"] == "telegram,feed" and first["email"] == "(none)" and first["daily digest"] == "off, at 20:00 UTC"

        changed = shown(run("--user", "7", "--deliver", "email, feed", "--email", "Reader@Example.COM", "--daily", "on",
                            "--daily-hour", "7", "--time-zone", "Europe/Berlin", db=db))
        assert changed["deliver to"] == "email,feed" and changed["email"] == "Reader@example.com"
        assert changed["daily digest"] == "on, at 07:00 Europe/Berlin"
        assert shown(run("--user", "7", db=db)) == changed, "stored"

        for args, needle in [(["--email", "reader@example.com\nBcc: x@example.com"], "invalid email"),
                             (["--deliver", "telegram,pigeon"], "pigeon"),
                             (["--deliver", "email", "--email", "none"], "needs an address"),
                             (["--daily-hour", "24"], "daily_hour"),
                             (["--time-zone", "Mars/Olympus"], "Mars/Olympus"),
                             (["--daily", "maybe"], "on or off")]:
            out = run("--user", "7", *args, db=db)
            assert out.returncode == 64 and needle in out.stderr, (args, out.returncode, out.stderr)
        assert shown(run("--user", "7", db=db)) == changed, "nothing stored by a refused change"

        none = shown(run("--user", "7", "--deliver", "none", "--email", "none", db=db))
        assert none["deliver to"] == "none" and none["email"] == "(none)"
