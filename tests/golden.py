"""Golden files: a page or a report as it must come out, byte for byte, kept in the repository.

A test compares what the code makes with its golden file. When a change is meant, refresh them
explicitly and read the diff before committing::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/ -k golden
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(name: str, made: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(made)  # byte for byte: CSV files keep their CRLF line ends
        return
    assert path.is_file(), f"no golden file {path}: run once with UPDATE_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as fh:
        expected = fh.read()
    assert made == expected, f"{name} differs from its golden file (UPDATE_GOLDEN=1 to refresh)"
