"""Which port and scheme `course serve` runs on, for the commands that print links to it
(`course space`).

`course serve --port 8901` records its port, and « https » when it serves HTTPS
(`--certfile`/`--self-signed`), in `var/run/serve.json` with its process id while it runs; a
later command reads it back, and ignores it once that process is gone (a crash leaves the file
behind). Without it, they fall back to `c.ServeSettings.port` and plain HTTP.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from course.core.files import private_write
from course.settings import Project

if TYPE_CHECKING:
    from course.server.tls import Tls


def record_path(project: Project) -> Path:
    return project.data_dir / "run" / "serve.json"


@dataclass(frozen=True)
class Running:
    port: int
    scheme: str  # "http" or "https"


def record_running(project: Project, host: str, port: int, tls: Tls | None = None) -> Path:
    """`tls`: the server's certificate (`course.server.tls.Tls`) when it serves HTTPS."""
    scheme = "https" if tls is not None else "http"
    data = {"host": host, "port": port, "scheme": scheme, "pid": os.getpid()}
    return private_write(record_path(project), json.dumps(data))


def forget_running(project: Project) -> None:
    with contextlib.suppress(OSError, ValueError):
        if json.loads(record_path(project).read_text()).get("pid") == os.getpid():
            record_path(project).unlink()


def running(project: Project) -> Running | None:
    """The port and scheme of the `course serve` running for this project, or None."""
    try:
        data = json.loads(record_path(project).read_text())
        pid, port = int(data["pid"]), int(data["port"])
        os.kill(pid, 0)  # still there? (signal 0 checks, sends nothing)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # A record from before the scheme was kept is plain HTTP (HTTPS came with it).
    return Running(port, "https" if data.get("scheme") == "https" else "http")


def running_port(project: Project) -> int | None:
    """The port of the `course serve` running for this project, or None."""
    found = running(project)
    return found.port if found else None
