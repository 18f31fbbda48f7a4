"""`gazette channels export --opml` and `gazette channels import --opml` (issue 18): a list copied through a pipe gives
the other user the same channels and tags; readers' exports import with a report of what was skipped and why; a
malformed file is named with its line and changes nothing.
"""
from __future__ import annotations

import sqlite3
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from mcp_support import FIXTURES, gazette_bin

ENV = {"PATH": "/usr/bin:/bin"}


def run(*args: str, db: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gazette_bin(), *args, "--database", f"sqlite:{db}"], input=stdin, capture_output=True, text=True,
                          timeout=120, env=ENV)


def channel_list(db: str, user: int) -> list[tuple[str, str, str]]:
    """(kind, key, tags) of the user's subscriptions, read from the database; `channels list` must show every key."""
    with sqlite3.connect(db) as conn:
        rows = sorted(conn.execute("SELECT c.kind, c.key, s.tags FROM subscriptions s JOIN channels c ON c.id = s.channel_id "
                                   "WHERE s.user_id = ?", (user,)).fetchall())
    listed = run("channels", "list", "--user", str(user), db=db)
    assert listed.returncode == 0, listed.stderr
    assert all(key in listed.stdout for _, key, _ in rows), listed.stdout
    return rows


def test_export_piped_into_import_gives_the_same_channel_list():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        assert run("channels", "add", "--user", "1", "--tags", "news,tg", "@durov", "https://t.me/s/telegram", db=db).returncode == 0
        assert run("channels", "add", "--user", "1", "https://feeds.example.com/world.xml", "https://t.me/+AbCdEf1234567", db=db).returncode == 0
        assert run("channels", "add", "--user", "1", "--tags", "tech", "https://blog.example.org/atom?x=1&y=2", db=db).returncode == 0
        exported = run("channels", "export", "--user", "1", "--opml", db=db)
        assert exported.returncode == 0, exported.stderr
        root = ET.fromstring(exported.stdout)
        assert root.tag == "opml" and root.get("version") == "2.0"
        urls = {o.get("xmlUrl"): o for o in root.iter("outline") if o.get("xmlUrl")}
        assert urls["https://t.me/s/durov"].get("htmlUrl") == "https://t.me/durov"
        assert "https://feeds.example.com/world.xml" in urls and "https://blog.example.org/atom?x=1&y=2" in urls

        imported = run("channels", "import", "--user", "2", "--opml", "-", db=db, stdin=exported.stdout)
        assert imported.returncode == 0, imported.stderr
        assert imported.stdout.count("added: ") == 5 and "0 skipped" in imported.stdout, imported.stdout
        assert channel_list(db, 2) == channel_list(db, 1)
        assert len(channel_list(db, 1)) == 5

        # Once more: nothing new, every outline reported as already subscribed, the list unchanged.
        again = run("channels", "import", "--user", "2", "--opml", "-", db=db, stdin=exported.stdout)
        assert again.returncode == 0 and again.stdout.count("already subscribed") == 5, again.stdout
        assert channel_list(db, 2) == channel_list(db, 1)


def test_reader_exports_import_with_reasons_and_malformed_files_change_nothing():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        nested = run("channels", "import", "--user", "3", "--opml", str(FIXTURES / "opml" / "feedreader-v2-nested.opml"), db=db)
        assert nested.returncode == 0, nested.stderr
        assert "added: durov (" in nested.stdout and "tags News" in nested.stdout
        assert "skipped: https://news.example.com/rss.xml (line 17): the file lists" in nested.stdout
        assert "5 added, 1 skipped of 6 outlines" in nested.stdout

        skips = run("channels", "import", "--user", "3", "--opml", str(FIXTURES / "opml" / "skips.opml"), db=db)
        assert skips.returncode == 0, skips.stderr
        for needle in ("not ftp:", "not javascript:", "not a URL", "127.0.0.1 is a loopback or private address",
                       "no xmlUrl or htmlUrl", "5–32 characters"):
            assert needle in skips.stdout, (needle, skips.stdout)
        before = channel_list(db, 3)

        broken = run("channels", "import", "--user", "3", "--opml", str(FIXTURES / "opml" / "malformed.opml"), db=db)
        assert broken.returncode == 65
        assert "malformed.opml: the OPML file is not well-formed XML" in broken.stderr and "line 8" in broken.stderr
        missing = run("channels", "import", "--user", "3", "--opml", f"{tmp}/nope.opml", db=db)
        assert missing.returncode == 66 and "nope.opml" in missing.stderr
        assert channel_list(db, 3) == before
