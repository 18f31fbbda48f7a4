"""`gazette filters` shapes the next `gazette digest` (issue 15): an exclude phrase hides every inflection of it, the
footer says how many posts were hidden, the posts stay in the database, and bad input is named.

Posts are written into a real SQLite database made by `gazette migrate` (the CLI has no command to add posts by hand).
"""
from __future__ import annotations

import pathlib
import sqlite3
import subprocess
import tempfile
import time

from mcp_support import gazette_bin


def run(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gazette_bin(), *args, "--database", f"sqlite:{db}"], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin"})


POSTS = [
    (1, "Скидки до 50% на всё! Реклама. erid: 2VtzqxKkFZ3"),
    (2, "Эксперты обсуждают рынок рекламы в соцсетях и его рост в этом году."),
    (3, "Явка на выборах мэра составила 31%, сообщил городской избирком."),
    (4, "В парке открыли новый каток с искусственным льдом и бесплатным входом."),
]


def seed(db: str) -> None:
    assert run("channels", "add", "--user", "1", "@city_news", db=db).returncode == 0
    now = time.time()
    with sqlite3.connect(db) as conn:
        (channel_id,) = conn.execute("SELECT id FROM channels WHERE key = 'city_news'").fetchone()
        for i, (mid, text) in enumerate(POSTS):
            conn.execute("INSERT INTO posts (channel_id, message_id, text, date, views, url, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (channel_id, mid, text, now - 600 * (i + 1), 100, f"https://t.me/city_news/{mid}", now))


def digest(db: str, tmp: str) -> str:
    out = pathlib.Path(tmp) / "digest.md"
    result = run("digest", "--user", "1", "--format", "markdown", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    return out.read_text()


def test_exclude_hides_every_inflection_and_the_footer_counts_them():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        assert run("migrate", db=db).returncode == 0
        seed(db)
        before = digest(db, tmp)
        assert "city_news/1" in before and "city_news/2" in before
        added = run("filters", "add", "--user", "1", "--exclude", "реклама", db=db)
        assert added.returncode == 0 and "added: --exclude реклама" in added.stdout, added.stderr
        after = digest(db, tmp)
        assert "city_news/1" not in after and "city_news/2" not in after  # «Реклама.» and «рекламы»
        assert "city_news/3" in after and "city_news/4" in after
        assert "2 поста скрыто вашими фильтрами" in after
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM posts").fetchone() == (4,)  # nothing deleted
        listed = run("filters", "list", "--user", "1", db=db)
        assert "--exclude реклама" in listed.stdout
        assert run("filters", "remove", "--user", "1", "--exclude", "реклама", db=db).returncode == 0
        assert "city_news/1" in digest(db, tmp)


def test_language_and_bad_input():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        assert run("migrate", db=db).returncode == 0
        seed(db)
        assert "## Главные сюжеты" in digest(db, tmp)
        assert run("filters", "language", "--user", "1", "en", db=db).returncode == 0
        english = digest(db, tmp)
        assert "## Top stories" in english and "Содержание" not in english
        bad = run("filters", "add", "--user", "1", "--min-length", "lots", db=db)
        assert bad.returncode != 0 and "min-length" in bad.stderr
        two = run("filters", "add", "--user", "1", "--no-ads", "--exclude", "x", db=db)
        assert two.returncode != 0 and "exactly one" in two.stderr
        missing = run("filters", "remove", "--user", "1", "--mute", "@nobody_here", db=db)
        assert missing.returncode == 65 and "no filter" in missing.stderr
