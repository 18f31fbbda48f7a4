"""Pictures in digests (issue 16): `--images` / `GAZETTE_IMAGES` and a reader's `gazette filters images` decide whether
the markdown digest references the posts' pictures (`![alt](original URL)`); the reader's setting wins.

Posts with picture references are written into a real SQLite database made by `gazette migrate`. Only the markdown
format is used, so nothing is fetched (the URLs point at a port nobody listens on).
"""
from __future__ import annotations

import json
import sqlite3
import tempfile
import time
import pathlib
import subprocess

from mcp_support import gazette_bin

PICTURE = "http://127.0.0.1:9/cdn/photo%201.jpg"


def run(*args: str, db: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gazette_bin(), *args, "--database", f"sqlite:{db}"], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", **(env or {})})


def seed(db: str) -> None:
    assert run("migrate", db=db).returncode == 0
    assert run("channels", "add", "--user", "1", "@city_news", db=db).returncode == 0
    now = time.time()
    images = json.dumps([{"kind": "photo", "url": PICTURE}, {"kind": "video_thumbnail", "url": "http://127.0.0.1:9/cdn/v.jpg"}])
    with sqlite3.connect(db) as conn:
        (channel_id,) = conn.execute("SELECT id FROM channels WHERE key = 'city_news'").fetchone()
        conn.execute("INSERT INTO posts (channel_id, message_id, text, date, views, url, fetched_at, images) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (channel_id, 1, "В парке открыли новый каток с искусственным льдом и бесплатным входом.", now - 600, 100,
                      "https://t.me/city_news/1", now, images))


def digest(db: str, tmp: str, *flags: str, env: dict[str, str] | None = None) -> str:
    out = pathlib.Path(tmp) / "digest.md"
    result = run("digest", "--user", "1", "--format", "markdown", "--out", str(out), *flags, db=db, env=env)
    assert result.returncode == 0, result.stderr
    return out.read_text()


def test_images_flag_env_and_reader_setting():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        seed(db)
        shown = f"![Фото — city\\_news](http://127.0.0.1:9/cdn/photo%201.jpg)"
        assert shown in digest(db, tmp), "pictures are on by default"
        assert "![" not in digest(db, tmp, "--images", "off")
        assert "![" not in digest(db, tmp, env={"GAZETTE_IMAGES": "off"})
        # The reader's own setting wins over the process's.
        on = run("filters", "images", "--user", "1", "on", db=db)
        assert on.returncode == 0 and "images: on" in on.stdout, on.stderr
        assert shown in digest(db, tmp, "--images", "off")
        assert run("filters", "images", "--user", "1", "off", db=db).returncode == 0
        assert "![" not in digest(db, tmp)
        listed = run("filters", "list", "--user", "1", db=db)
        assert "images: off" in listed.stdout
        assert run("filters", "images", "--user", "1", "default", db=db).returncode == 0
        assert shown in digest(db, tmp)
        bad = run("filters", "images", "--user", "1", "sometimes", db=db)
        assert bad.returncode != 0 and "on, off or default" in bad.stderr
        badflag = run("digest", "--user", "1", "--format", "markdown", "--out", f"{tmp}/x.md", "--images", "maybe", db=db)
        assert badflag.returncode == 64 and "images" in badflag.stderr
