"""Pictures in digests (issue 16): `--images` / `GAZETTE_IMAGES` and a reader's `gazette filters images` decide whether
the markdown digest references the posts' pictures (`![alt](original URL)`); the reader's setting wins. The PDF of
`gazette digest --out d.pdf` carries the pictures as the bot's and the web reader's do (issue 23): fetched from a
loopback CDN (Python's http.server serving the committed test photos), JPEG embedded as JPEG.

Posts with picture references are written into a real SQLite database made by `gazette migrate`. The markdown tests
fetch nothing (their URLs point at a port nobody listens on).
"""
from __future__ import annotations

import http.server
import json
import sqlite3
import tempfile
import threading
import time
import pathlib
import subprocess

from mcp_support import FIXTURES, gazette_bin

PICTURE = "http://127.0.0.1:9/cdn/photo%201.jpg"


def run(*args: str, db: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gazette_bin(), *args, "--database", f"sqlite:{db}"], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", **(env or {})})


def seed(db: str, posts: dict[str, list[str]] | None = None) -> None:
    """`posts`: per channel, the picture URL of each of its posts (by default one post of @city_news)."""
    assert run("migrate", db=db).returncode == 0
    posts = posts or {"city_news": [PICTURE]}
    texts = ["В парке открыли новый каток с искусственным льдом и бесплатным входом.",
             "The city council approved a new budget for public libraries. Opening hours will be extended on weekends.",
             "A rare comet will be visible from the northern hemisphere tonight. Astronomers recommend binoculars."]
    now = time.time()
    message = 1
    for channel, pictures in posts.items():
        assert run("channels", "add", "--user", "1", f"@{channel}", db=db).returncode == 0
        with sqlite3.connect(db) as conn:
            (channel_id,) = conn.execute("SELECT id FROM channels WHERE key = ?", (channel,)).fetchone()
            for picture in pictures:
                images = json.dumps([{"kind": "photo", "url": picture}, {"kind": "video_thumbnail", "url": "http://127.0.0.1:9/cdn/v.jpg"}])
                conn.execute("INSERT INTO posts (channel_id, message_id, text, date, views, url, fetched_at, images) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (channel_id, message, texts[(message - 1) % len(texts)], now - 600 * message, 100,
                              f"https://t.me/{channel}/{message}", now, images))
                message += 1


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


class _CDN(http.server.BaseHTTPRequestHandler):
    """The pictures' CDN on loopback: /a.jpg and /b.jpg are the committed JPEG photos, /c.png the PNG one."""
    requests: list[str] = []
    files = {"/a.jpg": ("photo-1280x853.jpg", "image/jpeg"), "/b.jpg": ("progressive-640x480.jpg", "image/jpeg"),
             "/c.png": ("photo-400x267.png", "image/png")}

    def do_GET(self):  # noqa: N802
        self.requests.append(self.path)
        name, kind = self.files.get(self.path, (None, None))
        body = (FIXTURES / "images" / name).read_bytes() if name else b""
        self.send_response(200 if name else 404)
        self.send_header("Content-Type", kind or "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def pdf_images(pdf: pathlib.Path) -> list[list[str]]:
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in listed.splitlines()[2:] if line.strip()]


def test_pdf_digest_carries_the_pictures_from_the_cdn():
    handler = type("CDN", (_CDN,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cdn = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = f"{tmp}/g.sqlite"
            seed(db, {"alpha": [f"{cdn}/a.jpg"], "bravo": [f"{cdn}/b.jpg"], "charlie": [f"{cdn}/c.png"]})
            allow = {"GAZETTE_ALLOW_PRIVATE_SOURCES": "true"}
            pdf = pathlib.Path(tmp) / "d.pdf"
            made = run("digest", "--user", "1", "--out", str(pdf), db=db, env=allow)
            assert made.returncode == 0, made.stderr
            rows = pdf_images(pdf)
            assert len(rows) == 3, rows
            jpegs = sorted((row[3], row[4]) for row in rows if row[8] == "jpeg")
            assert jpegs == [("1280", "853"), ("640", "480")], rows  # the JPEGs embedded as they are
            assert sorted(handler.requests) == ["/a.jpg", "/b.jpg", "/c.png"]

            # --images off: no picture, nothing fetched.
            handler.requests.clear()
            off = run("digest", "--user", "1", "--out", str(pdf), "--images", "off", db=db, env=allow)
            assert off.returncode == 0, off.stderr
            assert pdf_images(pdf) == [] and handler.requests == []
    finally:
        server.shutdown()
        server.server_close()
