"""Files every part of the toolkit writes: atomically, privately, under a lock, or as a secret key.

Voilà never saves anything and every page view is its own kernel, so several processes read and
write the same small files under `var/` (answers, sessions, sign-in attempts, keys). Each way of
writing them lives here once:

- `atomic_write`: a temporary file in the same folder, flushed, fsynced, then `os.replace`d, so
  a reader or a crash sees the old content or the new, never half of one. The temporary file is
  made by `tempfile.mkstemp`, so the file is its owner's only (0o600).
- `private_write`, `private_append`, `private_dir`: personal data (cards, attestations, logs)
  readable by their owner only: files 0o600, the folder they create for them 0o700.
- `file_lock`, `locked_json`: one process at a time (`fcntl.flock` on a lock file beside the
  data), reading the file again inside the lock, so two kernels never overwrite each other.
- `secret_key`: a random key made once, kept private, read back by every later call.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def now_iso() -> str:
    """This moment in UTC, to the second, as files record it ("2026-12-07T09:05:00+00:00")."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def from_iso(text: str | None) -> datetime | None:
    """A moment read back from a file: aware, a zone-less stamp taken as UTC (what `now_iso`
    and nbgrader's gradebook write); None for an empty or missing one."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Write `data` (text is UTF-8) to `path` so that readers see either the old or the new
    content; missing folders are created. On failure the old file is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def private_dir(path: Path) -> Path:
    """`path` as a folder readable by its owner only (0o700) when this call creates it. Missing
    parents get the default mode, as `mkdir -p` gives them (`var/` may hold nbgrader's exchange,
    which learners' accounts must reach); an existing folder is left as it is."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    return path


def private_write(path: Path, data: str | bytes) -> Path:
    """`atomic_write`, readable and writable by the owner only (the file 0o600, its folder 0o700
    when made here): names, codes and results are personal data."""
    path = Path(path)
    private_dir(path.parent)
    atomic_write(path, data)
    path.chmod(PRIVATE_FILE)  # mkstemp already made it 0o600: said here, not left implicit
    return path


def private_append(path: Path) -> IO[bytes]:
    """`path` opened to append bytes (a log): created 0o600, its folder 0o700 when made here."""
    path = Path(path)
    private_dir(path.parent)
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE), "ab")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """`path` to this process alone while the block runs (`.<name>.lock` beside it, flock):
    every process that writes `path` takes this lock and reads the file again inside it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    with open(os.open(lock, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE), "wb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield  # closing the file releases the lock


@contextlib.contextmanager
def locked_json(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON object in `path`, to change in place under `file_lock`; written atomically when
    the block ends without an error and the object changed. A missing or damaged file reads as
    `{}` (callers keep only what may be lost: counts, sessions)."""
    path = Path(path)
    with file_lock(path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (FileNotFoundError, ValueError):
            data = {}
        before = json.dumps(data, sort_keys=True)
        yield data
        if json.dumps(data, sort_keys=True) != before:
            text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
            atomic_write(path, text + "\n")


def read_json_mapping(path: Path, key: str) -> tuple[dict[str, Any] | None, Path | None]:
    """The JSON object of `path` whose `key` holds a mapping, or (None, None) when it is missing.

    A damaged file is moved aside (`<name>.corrupt-<time>`, never deleted, for the trainer) and
    (None, where it went) is returned: the learner starts again with an empty one.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get(key), dict):
            raise ValueError(f"no {key} mapping")
    except ValueError:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        os.replace(path, aside)
        return None, aside
    return data, None


def _read_key(path: Path, size: int) -> bytes:
    key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    if len(key) != size:
        raise ValueError(f"{path}: not a key of {size} bytes")
    return key


def secret_key(path: Path, size: int = 32) -> bytes:
    """The random key kept in `path` (hex, owner only), made at the first call: every later
    call, in any process, gets the same one. A damaged key file is replaced by a new key."""
    path = Path(path)
    try:
        return _read_key(path, size)
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_hex(size)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(fresh)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # whole or absent, and never over another process's key
        except FileExistsError:
            try:
                return _read_key(path, size)  # another process made it first: theirs it is
            except ValueError:
                os.replace(tmp, path)  # damaged: replaced
    finally:
        Path(tmp).unlink(missing_ok=True)
    return bytes.fromhex(fresh)
