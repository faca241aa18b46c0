"""Telling the administrator, in French, when the hub they started can be used.

JupyterHub starts the proxy and every site's service (half a minute or more on a small
server), and its sign-in page answers 404 until the last service is up. `course hub start`
prints one line when that page answers, so whoever runs `bash scripts/hub.sh` knows when to
open it. It does not ask the page every second meanwhile: each 404 is an ERROR line of the
proxy and a WARNING of the hub in the terminal. It waits for JupyterHub's own « now running »
line in its private log (`course.hub.logs`), then asks the page.
"""

from __future__ import annotations

import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the standard library only at run time: `course.hub.supervise` imports this
    from course.hub.settings import HubSettings


def probe_url(settings: HubSettings) -> str:
    """The sign-in page as this machine reaches it (loopback when the hub listens everywhere)."""
    scheme = "https" if settings.ssl_cert else "http"
    host = "127.0.0.1" if settings.ip in ("0.0.0.0", "", "::") else settings.ip
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{settings.port}/hub/login"


def unchecked_context() -> ssl.SSLContext:
    """TLS without checking the certificate: this is our own server probed from its own
    machine, under an address the certificate may not name. Made once per watch and without
    the system's authorities (`create_default_context` loads them all): a context per probe,
    once a second for the minute a hub takes to start, left the waiting process 17 MiB of
    freed but unreturned memory."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def answers(url: str, timeout: float = 3, context: ssl.SSLContext | None = None) -> bool:
    """Whether the sign-in page answers 200 now (the certificate not checked)."""
    context = context or unchecked_context()
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as answer:
            return int(answer.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


# JupyterHub's INFO line once the proxy routes the hub and every service (`JupyterHub.start`).
RUNNING = b"JupyterHub is now running"


class LogWatch:
    """Whether JupyterHub wrote its « now running » line in `log` since this was made (what
    the file held before, from an earlier run, does not count)."""

    def __init__(self, log: Path):
        self.log = log
        self.offset = log.stat().st_size if log.exists() else 0
        self.tail = b""

    def running(self) -> bool:
        try:
            with self.log.open("rb") as file:
                if file.seek(0, 2) < self.offset:  # rotated meanwhile: the new file from 0
                    self.offset = 0
                file.seek(self.offset)
                chunk = file.read()
        except OSError:
            return False
        self.offset += len(chunk)
        self.tail = (self.tail + chunk)[-4096:]
        return RUNNING in self.tail


def watch(
    url: str,
    say: Callable[[str], None],
    public_url: str,
    log: Path,
    timeout: float = 900,
    interval: float = 1.0,
) -> threading.Thread:
    """Start a daemon thread that calls `say` once, with a French line, when the hub answers
    (nothing if it never does within `timeout`: the hub's own error says why). `log`:
    JupyterHub's private log, where it says it runs; `url`: the sign-in page as `probe_url`
    gives it."""
    journal = LogWatch(log)
    context = unchecked_context()

    def run() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if journal.running() and answers(url, context=context):
                say(
                    f"✔ Le hub est prêt : {public_url} (apprenants et équipe s'y connectent). "
                    "Ctrl+C l'arrête."
                )
                return
            time.sleep(interval)

    thread = threading.Thread(target=run, name="hub-ready", daemon=True)
    thread.start()
    return thread
