"""Today's workshop's module as the running server last saw it, for the learners' home page.

`course serve` puts today's module first when it starts (`COURSE_WORKSHOP_MODULE`), but a server
that runs for days (a hub's site service) starts before the trainer creates today's workshop.
So the trainer's space writes the module here each time a workshop is created or changed
(`course.trainer.todays.note_todays_module`, in the server's process, which reads the workshops
book), and the home page, in a learner's kernel that must not open the book (no SQLAlchemy
there), reads this small file: dated, so yesterday's module never comes first.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from course.core.files import atomic_write

FILE = "module-du-jour.json"  # in the project's data folder (var/)


def write_todays_module(data_dir: Path, day: date, module_id: str) -> None:
    """Say which module is today's (`""`: none)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(data_dir / FILE, json.dumps({"day": day.isoformat(), "module": module_id}))


def read_todays_module(data_dir: Path, day: date) -> str | None:
    """Today's module id as written for `day` ("" : no workshop today), or None when nothing
    was written for that day (the server's start-time value then holds)."""
    try:
        data = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("day") != day.isoformat():
        return None
    module = data.get("module")
    return module if isinstance(module, str) else None
