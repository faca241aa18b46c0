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
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from course.core.files import atomic_write, file_lock, now_iso, read_json_mapping

ANSWERS_FILE = "answers.json"
LESSON_FILE = "lesson.json"  # a learner's practice answers in a lesson, beside answers.json
FORMAT_VERSION = 1

Answer = str | list[str]


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
        with file_lock(self.path):
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
        atomic_write(self.path, text + "\n")
