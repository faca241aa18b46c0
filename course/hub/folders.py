"""The hub folder's private part, named once for `course.hub.layout` (every other path) and
`course.hub.supervise` (the all-day supervisor, which must import the standard library only:
`layout` pulls in `course.access`)."""

from __future__ import annotations

from pathlib import Path


def private_dir(hub_dir: Path) -> Path:
    """The hub's private folder: nothing in it may be committed or shown."""
    return Path(hub_dir) / "prive"
