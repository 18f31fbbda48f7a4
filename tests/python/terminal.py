"""Runs a command in a pseudo-terminal, as a user at a terminal would, for the commands that behave differently on one
(`gazette login` reads answers with the echo off, progress lines are drawn in place).
"""
from __future__ import annotations

import os
import pty
import select
import signal
import time
from dataclasses import dataclass


@dataclass
class TerminalRun:
    output: str
    # The exit status, or -N when signal N ended the command.
    status: int


def run_in_terminal(argv: list[str], cwd: str, env: dict[str, str], wait_for: bytes | None = None,
                    then_send: bytes = b"\x04", timeout: float = 60) -> TerminalRun:
    """Starts `argv` in `cwd` on a new pty and collects what it writes. With `wait_for`, once that text appeared,
    `then_send` is typed (end of input by default). A command still running at the deadline is killed and fails the
    caller's assertions through its status."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = b""
    sent = wait_for is None
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not sent and wait_for in seen:
                os.write(fd, then_send)
                sent = True
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the command ended and closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    finally:
        # The terminal closes as the command exits: give it until the deadline to be reaped, then kill it.
        done, status = os.waitpid(pid, os.WNOHANG)
        while done == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
            done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    code = os.waitstatus_to_exitcode(status)
    return TerminalRun(seen.decode(errors="replace").replace("\r\n", "\n"), code)
