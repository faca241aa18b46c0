"""Which port `course serve` runs on, for the commands that print links to it (`course space`).

`course serve --port 8901` records its port in `var/run/serve.json` with its process id while it
runs; a later command reads it back, and ignores it once that process is gone (a crash leaves the
file behind). Without it, they fall back to `c.ServeSettings.port`.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from course.core.files import private_write
from course.settings import Project


def record_path(project: Project) -> Path:
    return project.data_dir / "run" / "serve.json"


def record_running(project: Project, host: str, port: int) -> Path:
    data = {"host": host, "port": port, "pid": os.getpid()}
    return private_write(record_path(project), json.dumps(data))


def forget_running(project: Project) -> None:
    with contextlib.suppress(OSError, ValueError):
        if json.loads(record_path(project).read_text()).get("pid") == os.getpid():
            record_path(project).unlink()


def running_port(project: Project) -> int | None:
    """The port of the `course serve` running for this project, or None."""
    try:
        data = json.loads(record_path(project).read_text())
        pid, port = int(data["pid"]), int(data["port"])
        os.kill(pid, 0)  # still there? (signal 0 checks, sends nothing)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return port
