"""`gazette render` and the standalone `gazette-render` (the renderer alone, built beside `gazette`).

Both run the same options (GazetteRenderCLI), so both must give the same PDF for the same input and fixed date, the
page count they print must be the one `pdfinfo` reads, and each bad input must fail with its documented exit status
and a message naming what is wrong. The file `-` is standard input and `--out -` standard output (for `gazette digest`
too); the report line then goes to standard error, so a pipe carries the document alone.
"""
from __future__ import annotations

import os
import pathlib
import re
import shlex
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


# --- Pipes: `-` is standard input, `--out -` standard output ------------------------------------------------------

NOTES = "# Meeting notes\n\nПривет, *world*: a line with **bold** text.\n\n- one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"
REPORT = re.compile(r"^wrote standard output: (\d+) pages, (\d+) bytes$", re.M)


def pdfinfo(path: pathlib.Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pdfinfo_pages(path: pathlib.Path) -> int:
    pages = re.search(r"^Pages:\s+(\d+)$", pdfinfo(path), re.M)
    assert pages, path
    return int(pages.group(1))


def shell(line: str, cwd: pathlib.Path, stdin=None) -> subprocess.CompletedProcess:
    """One shell pipeline, run as a user would type it; standard error is captured, standard output is not."""
    return subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=cwd, stdin=stdin, stderr=subprocess.PIPE,
                          text=True, timeout=120)


def command_line(name: str) -> str:
    return " ".join(shlex.quote(part) for part in commands()[name])


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_pipe_from_standard_input_to_standard_output(name: str, tmp_path: pathlib.Path) -> None:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    piped = shell(f"cat notes.md | {command_line(name)} - --out - --creation-date {DATE} > out.pdf", tmp_path)
    assert piped.returncode == 0, piped.stderr
    # The report is on standard error; standard output held the PDF and nothing else.
    report = REPORT.search(piped.stderr)
    assert report, piped.stderr
    out = (tmp_path / "out.pdf").read_bytes()
    assert out.startswith(b"%PDF-") and out.rstrip().endswith(b"%%EOF"), out[:16]
    assert len(out) == int(report.group(2))
    assert pdfinfo_pages(tmp_path / "out.pdf") == int(report.group(1)) >= 1
    assert re.search(r"^Title:\s+Meeting notes$", pdfinfo(tmp_path / "out.pdf"), re.M)
    # Before pipes, `--out -` wrote a file named "-".
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md", "out.pdf"]

    to_file = run(commands()[name], str(tmp_path / "notes.md"), "--out", str(tmp_path / "file.pdf"), "--creation-date", DATE)
    assert to_file.returncode == 0, to_file.stderr
    assert re.search(r"wrote .*file\.pdf: \d+ pages, \d+ bytes", to_file.stdout) and to_file.stderr == ""
    assert (tmp_path / "file.pdf").read_bytes() == out


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_standard_input_to_a_file_and_a_file_to_standard_output(name: str, tmp_path: pathlib.Path) -> None:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    reference = tmp_path / "reference.pdf"
    assert run(commands()[name], str(tmp_path / "notes.md"), "--out", str(reference), "--creation-date", DATE).returncode == 0

    from_stdin = shell(f"{command_line(name)} - --out from-stdin.pdf --creation-date {DATE} < notes.md", tmp_path)
    assert from_stdin.returncode == 0 and from_stdin.stderr == "", from_stdin.stderr
    assert (tmp_path / "from-stdin.pdf").read_bytes() == reference.read_bytes()

    to_stdout = subprocess.run([*commands()[name], "notes.md", "--out", "-", "--creation-date", DATE], cwd=tmp_path,
                               capture_output=True, timeout=120)
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout == reference.read_bytes()
    assert REPORT.search(to_stdout.stderr.decode()), to_stdout.stderr
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_empty_standard_input_renders_a_blank_page(name: str, tmp_path: pathlib.Path) -> None:
    result = subprocess.run([*commands()[name], "-", "--out", "-", "--creation-date", DATE], cwd=tmp_path,
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = REPORT.search(result.stderr.decode())
    assert report and report.group(1) == "1", result.stderr
    out = tmp_path / "empty.pdf"
    out.write_bytes(result.stdout)
    assert result.stdout.startswith(b"%PDF-") and len(result.stdout) == int(report.group(2))
    assert pdfinfo_pages(out) == 1
    # No heading and no file name: the title says what it is.
    assert re.search(r"^Title:\s+Document$", pdfinfo(out), re.M)
    # The page carries its page number and nothing else.
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert re.sub(r"\s", "", text) == "1/1", text


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_too_large_standard_input_is_refused(name: str, tmp_path: pathlib.Path) -> None:
    huge = ("word " * 500_000).encode()  # 2.5 MB, over the 2 MB input limit
    result = subprocess.run([*commands()[name], "-", "--out", "-"], cwd=tmp_path, input=huge, capture_output=True,
                            timeout=120)
    assert result.returncode == 65, result.stderr
    assert result.stderr.decode() == "error: standard input: markdown is over the limit of 2097152 bytes\n"
    assert result.stdout == b""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["gazette render", "gazette-render"])
def test_unreadable_standard_input_is_refused(name: str, tmp_path: pathlib.Path) -> None:
    directory = os.open(tmp_path, os.O_RDONLY)  # read() on a directory fails with EISDIR
    try:
        result = subprocess.run([*commands()[name], "-", "--out", str(tmp_path / "x.pdf")], stdin=directory,
                                capture_output=True, text=True, timeout=120)
    finally:
        os.close(directory)
    assert result.returncode == 66, result.stderr
    assert "cannot read standard input" in result.stderr and "Is a directory" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


DIGEST_REPORT = re.compile(r"^(pdf|markdown|text) digest: 4 channels, 17 posts, (?:(\d+) pages, )?(\d+) bytes → standard output$", re.M)


@pytest.mark.parametrize("fmt", ["markdown", "pdf", "text"])
def test_digest_demo_to_standard_output(fmt: str, tmp_path: pathlib.Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_", "TELEGRAM_", "LLM_"))}
    result = subprocess.run([gazette_bin(), "digest", "--demo", "--format", fmt, "--out", "-"], cwd=tmp_path, env=env,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = DIGEST_REPORT.search(result.stderr.decode())
    assert report and report.group(1) == fmt, result.stderr
    assert len(result.stdout) == int(report.group(3))
    assert list(tmp_path.iterdir()) == []
    if fmt == "pdf":
        out = tmp_path / "digest.pdf"
        out.write_bytes(result.stdout)
        assert result.stdout.startswith(b"%PDF-") and pdfinfo_pages(out) == int(report.group(2)) >= 1
    else:
        text = result.stdout.decode()
        first = text.splitlines()[0]
        # Most demo posts are Russian, so the digest's own words are Russian.
        assert first.startswith("# Демо-дайджест «Газеты» — " if fmt == "markdown" else "Демо-дайджест «Газеты» — "), first
        assert "standard output" not in text
        assert ("## Главные сюжеты" if fmt == "markdown" else "Главные сюжеты") in text


def test_digest_demo_by_channel_keeps_the_earlier_layout(tmp_path: pathlib.Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_", "TELEGRAM_", "LLM_"))}
    result = subprocess.run([gazette_bin(), "digest", "--demo", "--by-channel", "--format", "markdown", "--out", "-"],
                            cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "4 channels, 16 posts" in result.stderr.decode()  # the cross-post collapsed
    text = result.stdout.decode()
    assert "### " not in text and "Главные сюжеты" not in text and "## Городской пульс" in text
