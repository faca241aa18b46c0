"""The learner's answers file: one JSON per learner and module, written atomically on every change.

Voilà never saves a notebook and a reload starts a fresh kernel, so this file is the only copy
of what a learner did. It is written to a temporary file in the same folder, flushed, fsynced and
moved into place with `os.replace`, so a crash leaves either the old or the new file, never half
of one. A corrupted file is moved aside (never deleted) and the learner starts again.

The same learner may answer in two tabs or on two computers at once: each page has its own
kernel, so every write takes a lock on the file (`fcntl.flock`), reads the file again inside it
and changes one question only. Two pages never overwrite each other's answers.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ANSWERS_FILE = "answers.json"
LESSON_FILE = "lesson.json"  # a learner's practice answers in a lesson, beside answers.json
FORMAT_VERSION = 1
# nbgrader forbids "+" and "*" in student ids; we also refuse anything that could be a path.
LEARNER_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

Answer = str | list[str]


class InvalidLearnerId(ValueError):
    """A learner id that could escape its folder or break nbgrader (e.g. '../../etc')."""


def check_learner_id(learner_id: str) -> str:
    """Return the id if it is safe as a folder name and an nbgrader student id, else raise."""
    if not isinstance(learner_id, str) or not LEARNER_ID_PATTERN.match(learner_id):
        raise InvalidLearnerId(
            f"Identifiant d'apprenant invalide : {learner_id!r} "
            "(lettres minuscules sans accent, chiffres et tirets, 40 au plus)."
        )
    return learner_id


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see either the old or the new content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json_mapping(path: Path, key: str) -> tuple[dict[str, Any] | None, Path | None]:
    """The JSON object of `path` whose `key` holds a mapping, or None when the file is missing.

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


def clean_answer(value: Any) -> Answer | None:
    """Keep only what an answer may be: a string or a list of strings; anything else is empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def is_empty(value: Answer | None) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return not any(v.strip() for v in value)


class AnswerStore:
    """Read and write one answers file. Every `set` is persisted before it returns."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.recovered_from: Path | None = None
        self._data = self._load()

    def _load(self) -> dict[str, Any]:
        empty: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "updated": None,
            "answers": {},
            "submitted": None,
        }
        data, self.recovered_from = read_json_mapping(self.path, "answers")
        if data is None:
            return empty
        data.setdefault("submitted", None)
        return data

    @property
    def answers(self) -> dict[str, Answer]:
        """A copy of all answers, only well-formed ones."""
        out = {}
        for qid, value in self._data["answers"].items():
            cleaned = clean_answer(value)
            if cleaned is not None:
                out[qid] = cleaned
        return out

    def get(self, question_id: str) -> Answer | None:
        return clean_answer(self._data["answers"].get(question_id))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The file to ourselves, as it is on disk now (another page may have written it)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.parent / f".{self.path.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._data = self._load()
            yield

    def set(self, question_id: str, value: Answer) -> None:
        """Store one answer, keeping every other answer as it is on disk."""
        cleaned = clean_answer(value)
        if cleaned is None:
            raise TypeError(f"An answer is a string or a list of strings, not {type(value)}")
        with self._locked():
            self._data["answers"][question_id] = cleaned
            self._data["updated"] = now_iso()
            self.save()

    def mark_submitted(self) -> str:
        stamp = now_iso()
        with self._locked():
            self._data["submitted"] = stamp
            self.save()
        return stamp

    @property
    def submitted(self) -> str | None:
        return self._data.get("submitted")

    def save(self) -> None:
        text = json.dumps(self._data, ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write_text(self.path, text + "\n")
