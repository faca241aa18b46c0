"""A real kernel zygote (`course.server.kernel_fork`) for the tests that fork from it."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course.server.kernel_fork import FOLDER_PREFIX, SOCKET_NAME


def start_zygote() -> tuple[subprocess.Popen[bytes], Path]:
    """A zygote listening on its socket, and the socket's path. The folder is made where the
    server makes it: a Unix socket's path has at most 107 bytes, and pytest's tmp_path in a CI
    clone is longer than that with the socket's name."""
    path = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX)) / SOCKET_NAME
    zygote = subprocess.Popen([sys.executable, "-m", "course.server.kernel_fork", str(path)])
    try:
        deadline = time.monotonic() + 180  # it imports ipykernel, the widgets and our pages
        while not path.exists():
            assert zygote.poll() is None, "the zygote stopped at start"
            assert time.monotonic() < deadline, "the zygote did not start"
            time.sleep(0.2)
    except BaseException:
        zygote.kill()
        raise
    return zygote, path
