"""`gazette channels list` for private channels the user account has not joined yet (issue 24): a join request awaiting
approval reads "join requested, waiting for approval", a guard bot's refusal says so, in the "read via" column (while
the account is logged in; without it the channel waits for login). The worker records where joining stands (Swift tests, through the scripted TDLib interface); here the state is written
into the database the way the worker leaves it, and the command shows it.
"""
from __future__ import annotations

import sqlite3
import subprocess
import tempfile
import time

from mcp_support import gazette_bin

ENV = {"PATH": "/usr/bin:/bin"}


def run(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gazette_bin(), *args, "--database", f"sqlite:{db}"], capture_output=True, text=True,
                          timeout=120, env=ENV)


def test_channels_list_shows_where_joining_stands():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        added = run("channels", "add", "--user", "1", "https://t.me/+AbCdEfGhIjKl", "https://t.me/+ZyXwVuTsRqPo", "@durov", db=db)
        assert added.returncode == 0, added.stderr
        with sqlite3.connect(db) as conn:
            # A worker owns the logged-in account (its lease runs for another hour)...
            conn.execute("INSERT INTO account_lease (id, owner, lease_until, state, updated_at) "
                         "VALUES (1, 'worker-1', ?, 'logged_in', ?)", (time.time() + 3600, time.time()))
            # ...and found where joining each private channel stands.
            for key, state in (("+AbCdEfGhIjKl", "requested"), ("+ZyXwVuTsRqPo", "declined")):
                conn.execute("UPDATE fetch_state SET account_join = ? WHERE channel_id = (SELECT id FROM channels WHERE key = ?)",
                             (state, key))
        listed = run("channels", "list", "--user", "1", db=db)
        assert listed.returncode == 0, listed.stderr
        lines = {line.split()[1]: line for line in listed.stdout.splitlines()[2:] if line.strip()}
        assert "join requested, waiting for approval" in lines["+AbCdEfGhIjKl"], listed.stdout
        assert "join declined by the channel's guard bot" in lines["+ZyXwVuTsRqPo"], listed.stdout
        assert "join" not in lines["durov"], listed.stdout
