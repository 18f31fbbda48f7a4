"""`gazette render` and the standalone `gazette-render` (the renderer alone, built beside `gazette`).

Both run the same options (GazetteRenderCLI), so both must give the same PDF for the same input and fixed date, the
page count they print must be the one `pdfinfo` reads, and each bad input must fail with its documented exit status
and a message naming what is wrong.
"""
from __future__ import annotations

import pathlib
import re
import subprocess

import pytest

from mcp_support import gazette_bin

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "bench" / "pdf" / "reference-digest.md"
DATE = "2024-05-17T00:00:00Z"


def commands() -> dict[str, list[str]]:
    gazette = pathlib.Path(gazette_bin())
    return {"gazette render": [str(gazette), "render"], "gazette-render": [str(gazette.with_name("gazette-render"))]}


def run(command: list[str], *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_renders_the_reference_digest(name: str, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "digest.pdf"
    result = run(commands()[name], str(REFERENCE), "--out", str(out), "--creation-date", DATE)
    assert result.returncode == 0, result.stderr
    printed = re.search(r"wrote .*: (\d+) pages, (\d+) bytes", result.stdout)
    assert printed, result.stdout
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    assert pages and pages.group(1) == printed.group(1), info
    assert int(printed.group(2)) == out.stat().st_size
    # No --title: the first heading is the title.
    assert re.search(r"^Title:\s+📰 Gazette — Daily Digest$", info, re.M), info


def test_both_binaries_give_the_same_bytes(tmp_path: pathlib.Path) -> None:
    outputs = []
    for name, command in commands().items():
        out = tmp_path / f"{name.replace(' ', '_')}.pdf"
        result = run(command, str(REFERENCE), "--out", str(out), "--creation-date", DATE)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_standalone_version_matches() -> None:
    standalone = run(commands()["gazette-render"], "--version")
    assert standalone.returncode == 0
    assert standalone.stdout.strip() == run([gazette_bin()], "--version").stdout.strip()


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_bad_input_has_its_exit_status_and_says_why(name: str, tmp_path: pathlib.Path) -> None:
    command = commands()[name]
    out = tmp_path / "x.pdf"

    missing = run(command, str(tmp_path / "missing.md"), "--out", str(out))
    assert missing.returncode == 66
    assert "cannot read" in missing.stderr and "missing.md" in missing.stderr and "No such file" in missing.stderr

    bad_date = run(command, str(REFERENCE), "--out", str(out), "--creation-date", "yesterday")
    assert bad_date.returncode == 64
    assert "--creation-date" in bad_date.stderr and "ISO 8601" in bad_date.stderr

    huge = tmp_path / "huge.md"
    huge.write_text("word " * 500_000)  # 2.5 MB, over the 2 MB input limit
    refused = run(command, str(huge), "--out", str(out))
    assert refused.returncode == 65
    assert "huge.md" in refused.stderr

    unwritable = run(command, str(REFERENCE), "--out", str(tmp_path / "no-such-dir" / "x.pdf"))
    assert unwritable.returncode == 73
    assert "cannot write" in unwritable.stderr

    assert not out.exists()


def test_standalone_parses_its_options_like_gazette_render(tmp_path: pathlib.Path) -> None:
    standalone = commands()["gazette-render"]
    out = tmp_path / "eq.pdf"
    result = run(standalone, str(REFERENCE), f"--out={out}", "--title", "Custom title", f"--creation-date={DATE}")
    assert result.returncode == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Custom title$", info, re.M), info

    help_text = run(standalone, "--help")
    assert help_text.returncode == 0 and "--creation-date" in help_text.stdout and "USAGE" in help_text.stdout

    for args, reason in [(["--bogus", str(REFERENCE)], "unknown option '--bogus'"),
                         ([str(REFERENCE)], "'--out <out>'"),
                         (["--out", str(out)], "'<file>'"),
                         ([str(REFERENCE), "--out"], "missing value for '--out'"),
                         ([str(REFERENCE), str(REFERENCE), "--out", str(out)], "unexpected argument")]:
        bad = run(standalone, *args)
        assert bad.returncode == 64, (args, bad.stderr)
        assert reason in bad.stderr and "usage: gazette-render" in bad.stderr, (args, bad.stderr)
