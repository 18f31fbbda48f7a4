"""`make install DESTDIR=… PREFIX=/usr` (issue 23): the installed `gazette` finds TDLib in `/usr/lib/gazette` from any
working directory. In a terminal (a pty) started in `/`: `gazette login` reaches TDLib's phone-number prompt,
`gazette login --status` opens the session it left; with the library removed, the one-line error lists every path
the binary tried.

This suite tests what `make install` installs (the release build `make install` makes, as a user runs it), not
GAZETTE_BIN: the install itself is what is under test. Under `make test` the release binaries are already built, so
the install only copies.
"""
from __future__ import annotations

import pathlib
import subprocess
import tempfile

from mcp_support import REPO
from terminal import run_in_terminal

API = ["--telegram-api-id", "12345", "--telegram-api-hash", "0123456789abcdef0123456789abcdef"]


def test_installed_binary_reaches_tdlib_from_the_root_directory():
    with tempfile.TemporaryDirectory() as tmp:
        dest = pathlib.Path(tmp) / "dest"
        make = subprocess.run(["make", "-C", str(REPO), "--no-print-directory", "install", f"DESTDIR={dest}", "PREFIX=/usr"],
                              capture_output=True, text=True, timeout=3600)
        assert make.returncode == 0, make.stdout[-3000:] + make.stderr[-3000:]
        gazette = dest / "usr" / "bin" / "gazette"
        library = dest / "usr" / "lib" / "gazette" / "libtdjson.so"
        assert gazette.is_file() and (dest / "usr" / "bin" / "gazette-render").is_file()
        assert library.is_file()

        # Nothing in the environment or the working directory points at the library.
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "TERM": "dumb"}
        where = [*API, "--data-dir", f"{tmp}/data", "--database", f"sqlite:{tmp}/g.sqlite"]

        login = run_in_terminal([str(gazette), "login", *where], cwd="/", env=env, wait_for=b"Phone number")
        assert "Phone number" in login.output, login.output
        assert "login cancelled" in login.output and login.status == 1, login.output
        assert "0123456789abcdef" not in login.output

        # The session login left behind is opened: TDLib loaded again, from / again.
        status = run_in_terminal([str(gazette), "login", "--status", *where], cwd="/", env=env)
        assert status.status == 0, status.output
        assert status.output.strip().splitlines()[-1] == "not logged in", status.output

        library.unlink()
        missing = run_in_terminal([str(gazette), "login", "--status", *where], cwd="/", env=env)
        assert missing.status == 69, missing.output
        lines = missing.output.strip().splitlines()
        assert len(lines) == 1, missing.output
        assert f"{library} (no such file)" in lines[0], lines[0]
        assert "libtdjson.so (system loader)" in lines[0], lines[0]
        assert "make tdlib" in lines[0]
