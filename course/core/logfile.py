"""Size-capped private log files: the one rotation of the toolkit.

A hub and its sites run for months; a log that only grows fills the disk. Every long-lived log
goes through the stdlib's `RotatingFileHandler` (`MAX_BYTES` a file, `BACKUPS` older files),
each file private (0600) also after a rotation: logs name users and addresses.

- In-process loggers (JupyterHub, the proxy) use `PrivateRotatingFileHandler` directly
  (`course.hub.logs`).
- A child process that writes to a raw file descriptor (Voilà and its kernels: their standard
  output and error, tracebacks included) writes into a `RotatingSink` instead: a pipe whose
  other end is a small reader process (`python -m course.core.logfile`, standard library only)
  that writes each line through the same handler. A reader *process*, not a thread, because a
  site behind a hub `exec`s Voilà: nothing of the `course` process remains to run a thread.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import signal
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from course.core.files import PRIVATE_FILE, private_dir

MAX_BYTES = 10 * 1024 * 1024  # per file: ten files at most, about 100 MiB for months of use
BACKUPS = 9
WAIT_SECONDS = 10  # for the reader's last lines once the writers are gone


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The stdlib's size-capped log file, but each file it opens (the first, and the new one
    after each rotation) is private (0600) whatever the process's umask."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        return open(os.open(self.baseFilename, flags, PRIVATE_FILE), "a", encoding="utf-8")


def rotating_handler(
    path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS
) -> PrivateRotatingFileHandler:
    """The capped private handler for `path` (its folder made 0700 when missing)."""
    private_dir(path.parent)
    return PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )


class RotatingSink:
    """A pipe to hand a child process as its standard output and error (`fileno()`): every line
    it writes ends in `path`, capped as every log. `close()` once the writers are started (or
    `exec`ed); `wait=True` also waits (`WAIT_SECONDS` at most) for the reader to write the last lines
    (it ends when every writer, kernels included, has closed the pipe)."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        command = [sys.executable, "-m", __name__, str(path), str(max_bytes), str(backups)]
        private_dir(path.parent)
        self.reader = subprocess.Popen(command, stdin=subprocess.PIPE)

    def fileno(self) -> int:
        assert self.reader.stdin is not None
        return self.reader.stdin.fileno()

    def close(self, wait: bool = True) -> None:
        if self.reader.stdin is not None:
            self.reader.stdin.close()
        if wait:
            try:  # a kernel left behind may hold the pipe: the reader then ends with it
                self.reader.wait(timeout=WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                pass

    def __enter__(self) -> RotatingSink:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def copy_lines(source: Iterable[bytes], handler: logging.Handler) -> None:
    """Every line of `source` (bytes, until its end) written through `handler`, as it was."""
    handler.setFormatter(logging.Formatter("%(message)s"))
    for line in source:
        text = line.decode("utf-8", errors="replace").rstrip("\n")
        handler.emit(logging.makeLogRecord({"msg": text, "levelno": logging.INFO}))
    handler.close()


def main(argv: list[str]) -> None:
    """`python -m course.core.logfile PATH [MAX_BYTES [BACKUPS]]`: standard input to PATH.
    Ctrl+C in the terminal reaches the writers, which say their last words: the reader ignores
    it and ends when its input does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    path, *numbers = argv
    caps = [int(number) for number in numbers]
    copy_lines(sys.stdin.buffer, rotating_handler(Path(path), *caps))


if __name__ == "__main__":
    main(sys.argv[1:])
