"""`gazette render --remote-images` (issue 16): pictures named by an http(s) address are fetched with the digests'
fetcher and limits and embedded; without the flag they are never fetched (alt text and a warning); a loopback address
is refused unless GAZETTE_ALLOW_PRIVATE_SOURCES=1, and a page served as image/jpeg is no picture.

The pictures come from a real HTTP server on 127.0.0.1 (Python's http.server) serving the committed test images.
"""
from __future__ import annotations

import http.server
import pathlib
import subprocess
import tempfile
import threading

from mcp_support import FIXTURES, gazette_bin

IMAGES = FIXTURES / "images"


class Handler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        Handler.requests.append(self.path)
        if self.path == "/photo.jpg":
            body, kind = (IMAGES / "photo-1280x853.jpg").read_bytes(), "image/jpeg"
        elif self.path == "/page.jpg":
            body, kind = b"<!doctype html><title>not a picture</title>", "image/jpeg"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def render(markdown: pathlib.Path, out: pathlib.Path, *flags: str, allow: bool) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", **({"GAZETTE_ALLOW_PRIVATE_SOURCES": "1"} if allow else {})}
    return subprocess.run([gazette_bin(), "render", str(markdown), "--out", str(out), *flags], capture_output=True, text=True,
                          timeout=120, env=env)


def images(pdf: pathlib.Path) -> list[list[str]]:
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in listed.splitlines()[2:] if line.strip()]


def test_remote_images_behind_the_flag():
    server = serve()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            md = pathlib.Path(tmp) / "doc.md"
            md.write_text(f"# Pictures\n\n![A hill at dawn]({base}/photo.jpg)\n\n![Not a picture]({base}/page.jpg)\n\n"
                          f"![Gone]({base}/missing.jpg)\n")
            pdf = pathlib.Path(tmp) / "doc.pdf"

            Handler.requests.clear()
            plain = render(md, pdf, allow=True)
            assert plain.returncode == 0, plain.stderr
            assert images(pdf) == [] and Handler.requests == [], "never fetched without the flag"
            assert "not shown" in plain.stderr

            fetched = render(md, pdf, "--remote-images", allow=True)
            assert fetched.returncode == 0, fetched.stderr
            rows = images(pdf)
            assert len(rows) == 1, rows
            assert rows[0][3:5] == ["1280", "853"] and rows[0][8] == "jpeg", rows  # embedded as it is
            assert sorted(Handler.requests) == ["/missing.jpg", "/page.jpg", "/photo.jpg"]
            assert f"image '{base}/page.jpg' not shown" in fetched.stderr
            assert f"image '{base}/missing.jpg' not shown" in fetched.stderr

            Handler.requests.clear()
            refused = render(md, pdf, "--remote-images", allow=False)
            assert refused.returncode == 0, refused.stderr
            assert images(pdf) == [] and Handler.requests == [], "loopback refused by the address policy"

            stdin = subprocess.run([gazette_bin(), "render", "-", "--out", str(pdf), "--remote-images"], capture_output=True,
                                   text=True, timeout=60, input="# x\n")
            assert stdin.returncode == 64 and "standard input" in stdin.stderr
    finally:
        server.shutdown()
