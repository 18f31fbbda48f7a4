"""`gazette render` and `gazette-render` with pictures (issue 16): paths relative to the markdown file's directory (the
current directory for standard input) are embedded, JPEG as it is; remote addresses are not fetched (alt text and a
warning instead); nothing outside the markdown's directory is read.
"""
from __future__ import annotations

import pathlib
import re
import shutil
import subprocess

import pytest

from test_render_cli import DATE, commands, run

IMAGES = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures" / "images"


def pdfimages(path: pathlib.Path) -> list[list[str]]:
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in listing.splitlines()[2:]]


def pdftext(path: pathlib.Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_local_pictures_are_embedded_and_remote_ones_are_not_fetched(name: str, tmp_path: pathlib.Path) -> None:
    document = tmp_path / "doc"
    (document / "pics").mkdir(parents=True)
    shutil.copy(IMAGES / "photo-1280x853.jpg", document / "pics" / "photo.jpg")
    shutil.copy(IMAGES / "logo-alpha-240x160.png", document / "logo.png")
    shutil.copy(IMAGES / "photo-1280x853.jpg", tmp_path / "outside.jpg")
    markdown = document / "post.md"
    markdown.write_text(
        "# Post\n\n![Sunset](pics/photo.jpg)\n\n![Logo](logo.png)\n\n"
        "![Remote picture](https://example.org/remote.jpg)\n\n![Outside](../outside.jpg)\n")
    out = tmp_path / "post.pdf"
    result = run(commands()[name], str(markdown), "--out", str(out), "--creation-date", DATE)
    assert result.returncode == 0, result.stderr
    rows = pdfimages(out)
    assert [(r[2], r[3], r[4], r[8]) for r in rows] == [
        ("image", "1280", "853", "jpeg"), ("image", "240", "160", "image"), ("smask", "240", "160", "image")]
    text = pdftext(out)
    assert "Remote picture" in text and "Outside" in text and "Sunset" not in text
    assert "'https://example.org/remote.jpg' not shown" in result.stderr
    assert "'../outside.jpg' not shown" in result.stderr
    assert re.search(r"wrote .*: 1 pages, \d+ bytes", result.stdout)


def test_standard_input_reads_pictures_from_the_current_directory(tmp_path: pathlib.Path) -> None:
    shutil.copy(IMAGES / "photo-800x533.webp", tmp_path / "photo.webp")
    out = tmp_path / "stdin.pdf"
    result = subprocess.run([*commands()["gazette-render"], "-", "--out", str(out), "--creation-date", DATE],
                            input="![WebP](photo.webp)\n", capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [(r[3], r[4]) for r in pdfimages(out) if r[2] == "image"] == [("800", "533")]
