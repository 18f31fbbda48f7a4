"""`gazette run` prints where everything is as soon as it listens, also when standard output is a pipe (docker
logs, journald), and its next steps name a command that works: the binary's path when `gazette` is not on PATH."""
from __future__ import annotations

import os
import queue
import subprocess
import tempfile
import threading
import time

from mcp_support import free_port, gazette_bin


def test_banner_is_flushed_to_a_pipe_and_names_the_binary():
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "GAZETTE_DATABASE_URL": f"sqlite:{tmp}/g.sqlite",
               "GAZETTE_TELEGRAM_PREVIEW_BASE_URL": "http://127.0.0.1:9", "GAZETTE_LOG_LEVEL": "warning"}
        proc = subprocess.Popen([gazette_bin(), "run", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l.decode()) for l in proc.stdout], daemon=True).start()
        try:
            seen: list[str] = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any("Stop with Ctrl-C." in l for l in seen):
                try:
                    seen.append(lines.get(timeout=0.5))
                except queue.Empty:
                    assert proc.poll() is None, f"gazette run exited: {''.join(seen)}"
            text = "".join(seen)
            # Read while the process still runs: the banner did not wait in a buffer for the exit.
            assert proc.poll() is None
            assert "is running." in text and f"http://127.0.0.1:{port}/mcp" in text, text
            assert f"{gazette_bin()} channels add --user 1 @durov" in text, text
            assert "make install" in text
        finally:
            proc.terminate()
            proc.wait(timeout=15)
